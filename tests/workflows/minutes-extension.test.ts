/**
 * The coordinator grants more time for a late verbale, on the real stack under time skipping: the first
 * escalation has gone out; the extension moves the due date, the old ladder's next steps never come, the
 * reminders and the ladder start over from the new date; an extension to an earlier date is refused,
 * audited and changes nothing.
 */
import { expect, it } from 'vitest';
import { queryMeeting, signalMeeting, startMeetingWorkflow } from '../../workflows/client';
import { createMeeting } from './fixture';
import { useDistrictStack } from './harness';

const world = useDistrictStack('minutes-extension-test');

it('an extension moves the verbale due date and starts reminders and ladder over from it', async () => {
  const db = world.stack.db.prisma;
  const { id } = await createMeeting(db, world.district.bodies.cr, '2027-03-09');
  expect(await startMeetingWorkflow(world.stack.gc, id)).toBe(true);
  /** Minutes messages as [day, kind], sorted (one per step: to the UdP coordinator). */
  const steps = async () =>
    (
      await db.outboxMessage.findMany({
        where: {
          idempotencyKey: { startsWith: `minutes-step:${id}` },
          personId: world.district.people.coordudp,
        },
      })
    )
      .map((r) => [r.idempotencyKey.split(':')[2]!.slice(0, 10), r.kind])
      .sort((a, b) => a.join().localeCompare(b.join()));

  // Due Wednesday 24 March: reminders on the 17th and 23rd, the first escalation on the 25th.
  await world.stack.skipPast('2027-03-25T09:00:00+01:00');
  expect(await steps()).toEqual([
    ['2027-03-17', 'minutesRequest'],
    ['2027-03-23', 'minutesRequest'],
    ['2027-03-25', 'escalation'],
  ]);
  expect((await queryMeeting(world.stack.gc, id)).minutesEscalationLevel).toBe(1);

  // An earlier date is refused and audited; then two more weeks, to Wednesday 7 April.
  await signalMeeting(world.stack.gc, id, 'minutesDeadlineExtended', {
    dueAt: '2027-03-20T23:59:59+01:00',
    reason: 'errore di battitura',
    by: 'Coordinatrice UdP',
  });
  await signalMeeting(world.stack.gc, id, 'minutesDeadlineExtended', {
    dueAt: '2027-04-07T23:59:59+02:00',
    reason: 'segretario in ferie',
    by: 'Coordinatrice UdP',
  });
  await world.stack.skipPast('2027-03-25T12:00:00+01:00');
  const afterExtension = await queryMeeting(world.stack.gc, id);
  expect(afterExtension.rejectedChanges).toBe(1);
  expect(afterExtension.minutesEscalationLevel).toBe(0);
  expect((await db.verbale.findUniqueOrThrow({ where: { meetingId: id } })).dueDate).toEqual(
    new Date('2027-04-07T00:00:00Z'),
  );
  const audit = await db.auditEvent.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
  expect(audit.filter((a) => a.action === 'meeting.change_rejected')).toMatchObject([
    { data: { reason: expect.stringMatching(/deve seguire quella attuale \(2027-03-24\)/) } },
  ]);
  expect(audit.filter((a) => a.action === 'meeting.minutes_deadline_extended')).toMatchObject([
    {
      actor: 'Coordinatrice UdP',
      data: { dueDate: '2027-04-07', previousDueDate: '2027-03-24', reason: 'segretario in ferie' },
    },
  ]);

  // The old ladder's second level (31 March) never comes; the new reminders (7 and 1 days before) and the
  // new first escalation (Thursday 8 April) do.
  await world.stack.skipPast('2027-04-08T09:00:00+02:00');
  expect(await steps()).toEqual([
    ['2027-03-17', 'minutesRequest'],
    ['2027-03-23', 'minutesRequest'],
    ['2027-03-25', 'escalation'],
    ['2027-03-31', 'minutesRequest'],
    ['2027-04-06', 'minutesRequest'],
    ['2027-04-08', 'escalation'],
  ]);
  expect((await queryMeeting(world.stack.gc, id)).minutesEscalationLevel).toBe(1);
});
