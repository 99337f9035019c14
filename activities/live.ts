/**
 * What the reconciler must keep running, read from the database (the source of truth for what exists).
 */
import type { PrismaClient } from '../prisma/client';
import { BodyRules } from '../domain/index';
import type { LiveObjects } from '../worker/reconciler';

export async function listLiveObjects(db: PrismaClient): Promise<LiveObjects> {
  const [meetings, deliverables, bodies, ambiti] = await Promise.all([
    // "closed" and "cancelled" meetings have nothing left to do; "held" ones may still await minutes.
    db.meeting.findMany({
      where: { status: { in: ['planned', 'convened', 'held'] } },
      select: { id: true },
      orderBy: { startsAt: 'asc' },
    }),
    db.deliverable.findMany({
      where: { status: { in: ['open', 'submitted'] } },
      select: { id: true },
      orderBy: { dueDate: 'asc' },
    }),
    db.body.findMany({
      where: { active: true },
      select: { id: true, rules: true },
      orderBy: { code: 'asc' },
    }),
    db.ambito.findMany({ select: { id: true }, orderBy: { code: 'asc' } }),
  ]);
  return {
    meetings: meetings.map((m) => m.id),
    deliverables: deliverables.map((d) => d.id),
    seriesBodies: bodies.filter((b) => BodyRules.parse(b.rules).cadence !== null).map((b) => b.id),
    ambiti: ambiti.map((a) => a.id),
  };
}
