/**
 * Seeds the Ambito Distrettuale Cremasco. Idempotent: every row is inserted by its natural key with
 * ON CONFLICT DO NOTHING, so a second run changes nothing and never overwrites what the coordinator has
 * since edited (rules, real people in place of placeholders). One transaction: a failure leaves no half seed.
 * `copy: n` seeds a numbered copy beside it (see keys.ts), for benchmarks with many districts.
 */
import type { PrismaClient } from '../client';
import { seedBodies } from './bodies';
import { loadPlanObjectives, loadTerritory } from './data';
import { seedDeliverableTypes } from './deliverables';
import { districtKeys } from './keys';
import { seedPlan } from './plan';
import { seedUfficioDiPiano } from './staff';
import { seedTerritory } from './territory';

export interface SeedOptions {
  /** Seeds numbered copy n of the district (ambito `cremasco-n`) instead of the Cremasco itself. */
  copy?: number;
}

export async function seedCremasco(prisma: PrismaClient, options: SeedOptions = {}): Promise<void> {
  const keys = districtKeys(options.copy);
  const territory = loadTerritory();
  const planObjectives = loadPlanObjectives();
  await prisma.$transaction(
    async (tx) => {
      const seeded = await seedTerritory(tx, territory, keys);
      const bodies = await seedBodies(tx, seeded, keys);
      await seedUfficioDiPiano(tx, seeded.ambitoId, keys);
      await seedDeliverableTypes(tx, seeded.ambitoId, bodies);
      await seedPlan(tx, seeded.ambitoId, planObjectives);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
