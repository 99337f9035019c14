/**
 * One Comitato Ristretto meeting through its whole life on the real stack, under time skipping:
 * convocation at the notice deadline, an answer, an agenda addendum, the reminder to those who did not
 * answer, attendance and quorum, the minutes request, reminders and the first escalation for late minutes,
 * and the circulation of the approved minutes to members and the lead comuni of the sub-ambiti.
 */
import { expect, it } from 'vitest';
import { dayInRome } from '../../domain/index';
import { queryMeeting, signalMeeting, startMeetingWorkflow } from '../../workflows/client';
import { workflowId } from '../../workflows/contracts';
import { hashToken } from '../../notifications/answers/tokens';
import type { MeetingState } from '../../workflows/meeting';
import { createMeeting } from './fixture';
import { useDistrictStack } from './harness';

const world = useDistrictStack('meeting-test');

/** Outbox rows as "<purpose>:<person key>", sorted, so the expected set reads like the story. */
async function sent(meetingId: string): Promise<string[]> {
  const byId = Object.fromEntries(Object.entries(world.district.people).map(([k, v]) => [v, k]));
  const rows = await world.stack.db.prisma.outboxMessage.findMany({
    where: { idempotencyKey: { contains: meetingId } },
  });
  return rows.map((r) => `${r.idempotencyKey.split(':')[0]}:${byId[r.personId!]}`).sort();
}

it('runs a Comitato Ristretto meeting from convocation to circulated minutes', async () => {
  const db = world.stack.db.prisma;
  // Tuesday 9 March 2027, 18:00-20:00: 5 giorni liberi put the convocation on Wednesday 3 March at 09:00.
  const meeting = await createMeeting(db, world.district.bodies.cr, '2027-03-09', [
    'Piano Operativo 2028: linee di indirizzo',
  ]);
  const id = meeting.id;
  expect(await startMeetingWorkflow(world.stack.gc, id)).toBe(true);
  expect(await startMeetingWorkflow(world.stack.gc, id)).toBe(false); // idempotent start

  // Three working days before the convocation (Friday 26 February), the convener is asked for the agenda.
  await world.stack.skipPast('2027-03-02T09:00:00+01:00');
  expect(await sent(id)).toEqual(['agenda-reminder:coordcr']); // no convocation before the deadline

  await world.stack.skipPast('2027-03-03T09:00:00+01:00');
  expect((await sent(id)).filter((k) => k.startsWith('convocation'))).toEqual([
    'convocation:assessore2',
    'convocation:coordcr',
    'convocation:sindaco1',
  ]);
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).status).toBe('convened');

  // Sindaco 1 answers from the link (the answer page stores it); an item is added more than 24 hours ahead.
  await db.invitation.update({
    where: { meetingId_personId: { meetingId: id, personId: world.district.people.sindaco1! } },
    data: { answer: 'present', answeredAt: new Date() },
  });
  await signalMeeting(world.stack.gc, id, 'answer', {
    personId: world.district.people.sindaco1!,
    answer: 'present',
  });
  await signalMeeting(world.stack.gc, id, 'agendaAddendum', {
    items: [{ title: 'Report annuale 2026: calendario' }],
  });

  // Two working days before (Friday 5 March): only those who have not answered are reminded.
  await world.stack.skipPast('2027-03-05T09:00:00+01:00');
  expect((await sent(id)).filter((k) => !/^(convocation|agenda-reminder)/.test(k))).toEqual([
    'addendum:assessore2',
    'addendum:coordcr',
    'addendum:sindaco1',
    'reminder:assessore2',
    'reminder:coordcr',
  ]);
  const agenda = await db.agendaItem.findMany({ where: { meetingId: id }, orderBy: { position: 'asc' } });
  expect(agenda.map((a) => [a.position, a.title, a.isAddendum])).toEqual([
    [1, 'Piano Operativo 2028: linee di indirizzo', false],
    [2, 'Report annuale 2026: calendario', true],
  ]);

  // Refused changes are audited and ignored: a reschedule ending before it starts, and an addendum on the
  // morning of the session (less than 24 hours ahead). The meeting carries on unchanged.
  await signalMeeting(world.stack.gc, id, 'reschedule', {
    startsAt: '2027-03-10T18:00:00+01:00',
    endsAt: '2027-03-10T17:00:00+01:00',
  });
  await world.stack.skipPast('2027-03-09T09:00:00+01:00');
  await signalMeeting(world.stack.gc, id, 'agendaAddendum', {
    items: [{ title: 'Punto dell’ultimo minuto' }],
  });

  // During the session: attendance, the delegate counting for the seat.
  await world.stack.skipPast('2027-03-09T18:30:00+01:00');
  await signalMeeting(world.stack.gc, id, 'attendance', {
    entries: [
      { personId: world.district.people.coordcr!, status: 'present' },
      { personId: world.district.people.sindaco1!, status: 'present' },
      {
        personId: world.district.people.assessore2!,
        status: 'delegate',
        delegateName: 'Assessore Delegato 2',
      },
    ],
  });
  await world.stack.skipPast('2027-03-09T20:00:00+01:00');
  const afterSession: MeetingState = await queryMeeting(world.stack.gc, id);
  expect(afterSession.phase).toBe('awaiting-minutes');
  expect(afterSession.quorum).toEqual({ present: 3, seats: 3, reached: true });
  expect(afterSession.rejectedChanges).toBe(2);
  const refused = await db.auditEvent.findMany({
    where: { entityId: id, action: 'meeting.change_rejected' },
  });
  expect(refused).toHaveLength(2);
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).revision).toBe(0);
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).status).toBe('held');
  expect(await sent(id)).toContain('minutes-request:coordudp');

  // Minutes due Wednesday 24 March: reminders on the 17th and 23rd, first escalation on Thursday the 25th.
  await world.stack.skipPast('2027-03-25T09:00:00+01:00');
  const steps = await db.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `minutes-step:${id}` } },
    orderBy: { idempotencyKey: 'asc' },
  });
  const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  expect(
    steps.map((s) => [s.idempotencyKey.split(':')[2]!.slice(0, 10), s.kind, s.personId]).sort(byJson),
  ).toEqual(
    [
      ['2027-03-17', 'minutesRequest', world.district.people.coordudp],
      ['2027-03-23', 'minutesRequest', world.district.people.coordudp],
      ['2027-03-25', 'escalation', world.district.people.coordudp],
      ['2027-03-25', 'escalation', world.district.people.respudp],
    ].sort(byJson),
  );
  expect((await queryMeeting(world.stack.gc, id)).minutesEscalationLevel).toBe(1);

  // The secretary uploads, the Comitato approves (the API records both, then signals).
  const now = new Date(await world.stack.env.currentTimeMs());
  await db.verbale.update({
    where: { meetingId: id },
    data: { submittedAt: now, approvedAt: now, status: 'approved' },
  });
  await signalMeeting(world.stack.gc, id, 'minutesSubmitted');
  await signalMeeting(world.stack.gc, id, 'minutesApproved');
  const final = await world.stack.gc.client.workflow.getHandle(workflowId.meeting(id)).result();
  expect(final.phase).toBe('closed');
  // A completed meeting is not run again by a later start (the reconciler's safety).
  expect(await startMeetingWorkflow(world.stack.gc, id)).toBe(false);
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).status).toBe('closed');

  expect(await sent(id)).toEqual([
    'addendum:assessore2',
    'addendum:coordcr',
    'addendum:sindaco1',
    'agenda-reminder:coordcr',
    'convocation:assessore2',
    'convocation:coordcr',
    'convocation:sindaco1',
    'minutes-request:coordudp',
    'minutes-step:coordudp',
    'minutes-step:coordudp',
    'minutes-step:coordudp',
    'minutes-step:respudp',
    'minutes:assessore2',
    'minutes:coordcr',
    'minutes:sindaco1',
    'minutes:sindaco2',
    'reminder:assessore2',
    'reminder:coordcr',
  ]);

  // Every message went out once, on a working day, and the convocation left at its deadline.
  const rows = await db.outboxMessage.findMany({ where: { idempotencyKey: { contains: id } } });
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  for (const r of rows) expect(world.stack.holidays.isWorkingDay(dayInRome(r.createdAt))).toBe(true);
  // The verbale reaches an invitee with their own answer token, readable without signing in; the lead comune
  // of a sub-ambito, never invited, gets the plain link and signs in.
  const minutesTo = (person: string) =>
    rows.find(
      (r) => r.idempotencyKey.startsWith('minutes:') && r.personId === world.district.people[person],
    )!;
  const invited = await db.invitation.findUniqueOrThrow({
    where: { meetingId_personId: { meetingId: id, personId: world.district.people.sindaco1! } },
  });
  const token = /\/verbale\?t=([A-Za-z0-9_-]+)/.exec(minutesTo('sindaco1').textBody)?.[1];
  expect(token && hashToken(token)).toBe(invited.tokenHash);
  expect(minutesTo('sindaco2').textBody).toMatch(/\/verbale(?!\?t=)/);
  expect(minutesTo('sindaco2').textBody).not.toContain('?t=');
  const convocation = rows.find((r) => r.idempotencyKey.startsWith('convocation:'))!;
  // At the deadline, give or take the scheduling latency of the virtual clock.
  const lateBy = convocation.createdAt.getTime() - Date.parse('2027-03-03T09:00:00+01:00');
  expect(lateBy).toBeGreaterThanOrEqual(0);
  expect(lateBy).toBeLessThan(1000);
  const caught = world.stack.catcher.mailbox.list();
  expect(caught).toHaveLength(18);
  expect(caught.every((m) => m.deliveries === 1)).toBe(true);
});
