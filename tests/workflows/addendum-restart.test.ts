/**
 * A meeting workflow rebuilt after Temporal lost its state (the reconciler, or signal-with-start, starts it
 * again from the database) must go on numbering agenda addenda after those already stored: a new addendum
 * that reused an earlier number found its items "already there" and its messages "already sent", and was
 * dropped without a trace although the request had been answered 202.
 */
import { expect, it } from 'vitest';
import { signalMeeting, startMeetingWorkflow } from '../../workflows/client';
import { workflowId } from '../../workflows/contracts';
import { createMeeting } from './fixture';
import { useDistrictStack } from './harness';

const world = useDistrictStack('addendum-restart-test');

it('sends an addendum asked for after the workflow was rebuilt from the database', async () => {
  const { db, gc } = { db: world.stack.db.prisma, gc: world.stack.gc };
  const meeting = await createMeeting(db, world.district.bodies.cr, '2027-03-09', ['Punto iniziale']);
  const id = meeting.id;
  expect(await startMeetingWorkflow(gc, id)).toBe(true);
  await world.stack.skipPast('2027-03-03T09:00:00+01:00'); // convened
  await signalMeeting(gc, id, 'agendaAddendum', { items: [{ title: 'Prima integrazione' }] });
  await world.stack.skipPast('2027-03-03T12:00:00+01:00');

  // Temporal loses the workflow; the reconciler starts it again from what the database says.
  await gc.client.workflow.getHandle(workflowId.meeting(id)).terminate('stato di Temporal perso');
  expect(await startMeetingWorkflow(gc, id)).toBe(true);
  await signalMeeting(gc, id, 'agendaAddendum', { items: [{ title: 'Seconda integrazione' }] });
  await world.stack.skipPast('2027-03-04T09:00:00+01:00');

  const agenda = await db.agendaItem.findMany({ where: { meetingId: id }, orderBy: { position: 'asc' } });
  expect(agenda.map((a) => a.title)).toEqual([
    'Punto iniziale',
    'Prima integrazione',
    'Seconda integrazione',
  ]);
  const addenda = await db.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `addendum:${id}:` } },
  });
  // Three convened members, each told of each addendum once, the second listing the second item.
  expect(addenda).toHaveLength(6);
  expect(addenda.filter((m) => m.textBody.includes('Seconda integrazione'))).toHaveLength(3);
});
