/** Test helper: every seeded table, dumped in a stable order, to prove a second run changes nothing. */
import type { PrismaClient } from '../client';

const TABLES = [
  'Ambito',
  'Comune',
  'ComuneAlias',
  'SubAmbito',
  'SubAmbitoMembership',
  'LocalFeastDay',
  'Organisation',
  'Person',
  'Body',
  'BodyAmbito',
  'Seat',
  'Membership',
  'DeliverableType',
  'Plan',
  'PlanPeriod',
  'MacroAction',
  'Objective',
  'Indicator',
  'IndicatorTarget',
];

export async function dumpSeededTables(prisma: PrismaClient): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    result[table] = await prisma.$queryRawUnsafe(
      `SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`,
    );
  }
  return result;
}
