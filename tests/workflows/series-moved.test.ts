/**
 * A series rebuilt by the reconciler (Temporal lost its state) while its current occurrence had been moved
 * earlier and already held: the rule still names the occurrence's planned day, which is after "now", so
 * planning found that meeting again. The series then continued from the meeting's actual (earlier) start,
 * found it once more, and went round without end: no later meeting of the body was ever planned.
 */
import { expect, it } from 'vitest';
import { startSeriesWorkflow } from '../../workflows/client';
import { workflowId } from '../../workflows/contracts';
import type { SeriesState } from '../../workflows/series';
import { useDistrictStack } from './harness';

const world = useDistrictStack('series-moved-test');

async function current(meetingOtherThan?: string): Promise<SeriesState['current']> {
  const handle = world.stack.gc.client.workflow.getHandle(workflowId.series(world.district.bodies.cr));
  for (let i = 0; i < 100; i++) {
    const state = await handle.query<SeriesState>('state').catch(() => null);
    if (state?.current && state.current.meetingId !== meetingOtherThan) return state.current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

it('plans past an occurrence moved earlier and held when the series is rebuilt', async () => {
  const { db, gc } = { db: world.stack.db.prisma, gc: world.stack.gc };
  const cr = world.district.bodies.cr;
  expect(await startSeriesWorkflow(gc, cr, '2027-03-01T00:00:00+01:00')).toBe(true);
  const first = (await current())!;
  const planned = Date.parse(first.startsAt);

  // Temporal loses everything; meanwhile the session had been brought forward three days and held.
  await gc.client.workflow.getHandle(workflowId.series(cr)).terminate('stato di Temporal perso');
  await gc.client.workflow.getHandle(workflowId.meeting(first.meetingId)).terminate('stato perso');
  const movedStart = new Date(planned - 3 * 86_400_000);
  await db.meeting.update({
    where: { id: first.meetingId },
    data: { startsAt: movedStart, endsAt: new Date(movedStart.getTime() + 7_200_000), status: 'closed' },
  });
  const now = new Date(planned - 2 * 86_400_000).toISOString();
  await world.stack.skipPast(now);

  // The reconciler starts the series again, planning after now.
  expect(await startSeriesWorkflow(gc, cr, now)).toBe(true);
  const next = await current(first.meetingId);
  expect(next).not.toBeNull();
  expect(Date.parse(next!.startsAt)).toBeGreaterThan(planned);
});
