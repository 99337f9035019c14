/**
 * A session under way (its start passed, its end not yet) is still "convened" in the database, but its
 * workflow no longer looks at reschedules or cancellations: it records the attendance and then marks the
 * meeting held. Such a request was answered 202 and then dropped without a trace. The API now refuses it
 * (409) and the workflow records one that slipped in at the last moment as refused, with its reason.
 */
import { expect, it } from 'vitest';
import { queryMeeting, signalMeeting, startMeetingWorkflow } from '../../workflows/client';
import { createMeeting } from '../workflows/fixture';
import { useApiWorld } from './support';

const world = useApiWorld('api-session-started');

it('refuses to move or cancel a session already under way, and never drops one unseen', async () => {
  const db = world.stack.db.prisma;
  const meeting = await createMeeting(db, world.district.bodies.cr, '2027-03-09');
  const id = meeting.id;
  expect(await startMeetingWorkflow(world.stack.gc, id)).toBe(true);
  await world.stack.skipPast('2027-03-09T18:15:00+01:00'); // the session began at 18:00
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).status).toBe('convened');

  const post = (what: string, payload: object) =>
    world.app.inject({
      method: 'POST',
      url: `/api/v1/meetings/${id}/${what}`,
      headers: world.coordinator,
      payload,
    });
  const cancelled = await post('cancel', { reason: 'Numero legale non raggiunto' });
  expect(cancelled.statusCode).toBe(409);
  expect(cancelled.json().error).toBe('seduta_iniziata');
  const moved = await post('reschedule', {
    startsAt: '2027-03-16T18:00:00+01:00',
    endsAt: '2027-03-16T20:00:00+01:00',
  });
  expect(moved.statusCode).toBe(409);

  // One that reached the workflow anyway (sent just before the start) is refused on the record.
  await signalMeeting(world.stack.gc, id, 'cancel', { reason: 'Numero legale non raggiunto' });
  await world.stack.skipPast('2027-03-09T20:00:00+01:00');
  expect((await queryMeeting(world.stack.gc, id)).rejectedChanges).toBe(1);
  const refused = await db.auditEvent.findMany({
    where: { entityId: id, action: 'meeting.change_rejected' },
  });
  expect(refused.map((e) => (e.data as { reason: string }).reason)).toEqual([
    'modifica richiesta a seduta già iniziata',
  ]);
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).status).toBe('held');
});
