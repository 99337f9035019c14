/**
 * The rules a body's meeting series follows: the body's own, with its series' stored override on top (e.g.
 * another weekday). Planning, the annual cycle and the reconciler all ask this one place, so a body whose
 * override gives it a cadence is planned, started and healed like any other, and the calendar shows it.
 */
import { applyRulesChange, type BodyRules } from '../domain/index';
import type { PrismaClient } from '../prisma/client';

/** The series whose override counts: the oldest active one (a body has one series; older data may have more). */
export const ACTIVE_SERIES = { where: { active: true }, orderBy: { createdAt: 'asc' as const }, take: 1 };

export function seriesRulesOf(body: { rules: unknown; series: { rulesOverride: unknown }[] }): BodyRules {
  return applyRulesChange(body.rules, body.series[0]?.rulesOverride ?? {});
}

export async function seriesRules(db: PrismaClient, bodyId: string) {
  const body = await db.body.findUniqueOrThrow({ where: { id: bodyId }, include: { series: ACTIVE_SERIES } });
  return { body, series: body.series[0] ?? null, rules: seriesRulesOf(body) };
}

/** Active bodies (of one ambito, or all) whose series has a cadence to follow, ordered by code. */
export async function bodiesWithCadence(
  db: Pick<PrismaClient, 'body'>,
  ambitoId?: string,
): Promise<string[]> {
  const bodies = await db.body.findMany({
    where: { active: true, ...(ambitoId ? { ambitoId } : {}) },
    select: { id: true, rules: true, series: { ...ACTIVE_SERIES, select: { rulesOverride: true } } },
    orderBy: { code: 'asc' },
  });
  return bodies.filter((b) => seriesRulesOf(b).cadence !== null).map((b) => b.id);
}
