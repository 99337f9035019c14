/**
 * What the reconciler must keep running, read from the database (the source of truth for what exists).
 */
import { Prisma, type PrismaClient } from '../prisma/client';
import { bodiesWithCadence } from './series-rules';
import type { LiveObjects } from '../worker/reconciler';

/**
 * The live objects as one moment of the database saw them. Read piecemeal, a district committed between two of
 * the reads could show its ambito without its bodies: the reconciler would start the annual cycle alone, and
 * the cycle, not the reconciler, would start the series.
 */
export function listLiveObjects(db: PrismaClient): Promise<LiveObjects> {
  return db.$transaction(liveObjectsIn, { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead });
}

/** The live objects as `db` sees them: inside a transaction of the caller's, its own writes included. */
export async function liveObjectsIn(
  db: Pick<PrismaClient, 'meeting' | 'deliverable' | 'body' | 'ambito'>,
): Promise<LiveObjects> {
  // One after another: inside a transaction they share one connection anyway.
  // "closed" and "cancelled" meetings have nothing left to do; "held" ones may still await minutes.
  const meetings = await db.meeting.findMany({
    where: { status: { in: ['planned', 'convened', 'held'] } },
    select: { id: true },
    orderBy: { startsAt: 'asc' },
  });
  const deliverables = await db.deliverable.findMany({
    where: { status: { in: ['open', 'submitted'] } },
    select: { id: true },
    orderBy: { dueDate: 'asc' },
  });
  const seriesBodies = await bodiesWithCadence(db);
  const ambiti = await db.ambito.findMany({ select: { id: true }, orderBy: { code: 'asc' } });
  return {
    meetings: meetings.map((m) => m.id),
    deliverables: deliverables.map((d) => d.id),
    seriesBodies,
    ambiti: ambiti.map((a) => a.id),
  };
}
