/**
 * Seeds the Ambito Distrettuale Cremasco. Idempotent: every row is inserted by its natural key with
 * ON CONFLICT DO NOTHING, so a second run changes nothing and never overwrites what the coordinator has
 * since edited (rules, real people in place of placeholders). One transaction: a failure leaves no half seed.
 */
import type { PrismaClient } from '../client';
import { seedBodies } from './bodies';
import { loadPlanObjectives, loadTerritory } from './data';
import { seedDeliverableTypes } from './deliverables';
import { seedPlan } from './plan';
import { seedTerritory } from './territory';

export async function seedCremasco(prisma: PrismaClient): Promise<void> {
  const territory = loadTerritory();
  const planObjectives = loadPlanObjectives();
  await prisma.$transaction(
    async (tx) => {
      const seeded = await seedTerritory(tx, territory);
      const bodies = await seedBodies(tx, seeded);
      await seedDeliverableTypes(tx, seeded.ambitoId, bodies);
      await seedPlan(tx, seeded.ambitoId, planObjectives);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
