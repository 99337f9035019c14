/**
 * A seat changes hands after the convocation has left: the Ufficio di Piano records a successor, or a new
 * standing delegate, from a day on or before the session. Whoever holds the seat on the session day is the
 * one convened, once, with answer links: at once when the API sends mail (the route stores it with the
 * change), else at the meeting's next step; the former holder, who no longer answers for the seat, gets
 * nothing more. Real Postgres, the real meeting activities and the real seat routes, SMTP to a loopback
 * catcher.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../api/server';
import { actAs } from '../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { startMailActivities, type MailActivities } from '../tests/support/mail-activities';
import { COORDINATORE_FIXTURE } from '../tests/api/support';
import { createDistrict, createMeeting, type District } from '../tests/workflows/fixture';

const SECRET = 'successor-secret-successor-secret-1234';

let db: TestDatabase;
let mail: MailActivities;
/** The API without mail: the seat routes store the change only. */
let app: FastifyInstance;
/** The API as the service runs it, sending late convocations itself. */
let mailing: FastifyInstance;
let district: District;

beforeAll(async () => {
  db = await createTestDatabase();
  mail = await startMailActivities(db.prisma, SECRET);
  district = await createDistrict(db.prisma);
  app = await buildServer({ db: db.prisma, config: mail.config });
  const { config, answering } = mail;
  mailing = await buildServer({ db: db.prisma, config, answering });
});
afterAll(async () => {
  await mailing?.close();
  await app?.close();
  await mail?.close();
  await db?.cleanup();
});

/** The keys of the meeting's messages, as `<kind>:<recipient e-mail>`, sorted. */
async function sent(meetingId: string, prefix: string): Promise<string[]> {
  const rows = await db.prisma.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `${prefix}:${meetingId}:` } },
  });
  return rows.map((r) => `${prefix}:${r.recipientEmail}`).sort();
}

it('without mail in the API, the successor is convened at the next step; the former holder is told no more', async () => {
  const { cr } = district.bodies;
  const meetingId = (await createMeeting(db.prisma, cr, '2037-04-14')).id;
  await mail.activities.sendConvocations(meetingId, 0);
  expect(await sent(meetingId, 'convocation')).toContain('convocation:sindaco1@example.org');

  const headers = await actAs(db.prisma, COORDINATORE_FIXTURE);
  const successor = await db.prisma.person.create({
    data: { fullName: 'Sindaca Subentrante', email: 'subentra@example.org' },
  });
  const seat = await db.prisma.seat.findFirstOrThrow({ where: { bodyId: cr, code: 'rappresentante-1' } });
  const assigned = await app.inject({
    method: 'POST',
    url: `/api/v1/bodies/${cr}/seats/${seat.id}/holders`,
    headers,
    payload: { personId: successor.id, validFrom: '2037-04-01' },
  });
  expect(assigned.statusCode).toBe(201);
  // The second mayor's standing delegate changes too: the new assessore represents the seat on the day.
  const assessore = await db.prisma.person.create({
    data: { fullName: 'Assessora Nuova', email: 'assessora-nuova@example.org' },
  });
  const seat2 = await db.prisma.membership.findFirstOrThrow({
    where: { seat: { bodyId: cr, code: 'rappresentante-2' } },
  });
  const delegated = await app.inject({
    method: 'PUT',
    url: `/api/v1/bodies/${cr}/memberships/${seat2.id}/delegate`,
    headers,
    payload: { delegatePersonId: assessore.id },
  });
  expect(delegated.statusCode).toBe(200);

  // The reminder step: the newcomers get the convocation (not a reminder of one they never had); the
  // reminder goes only to those still convened who have not answered.
  await mail.activities.sendReminders(meetingId, 0);
  expect(await sent(meetingId, 'convocation')).toEqual([
    'convocation:assessora-nuova@example.org',
    'convocation:assessore2@example.org',
    'convocation:coordcr@example.org',
    'convocation:sindaco1@example.org',
    'convocation:subentra@example.org',
  ]);
  expect(await sent(meetingId, 'reminder')).toEqual(['reminder:coordcr@example.org']);
  const invitation = await db.prisma.invitation.findUniqueOrThrow({
    where: { meetingId_personId: { meetingId, personId: successor.id } },
  });
  expect(invitation.answer).toBeNull();

  // A retried step sends nothing again.
  await mail.activities.sendReminders(meetingId, 0);
  expect(await sent(meetingId, 'convocation')).toHaveLength(5);
  expect(await sent(meetingId, 'reminder')).toEqual(['reminder:coordcr@example.org']);

  // Later updates reach who is convened on the day, and only them.
  await mail.activities.addAgendaItems(meetingId, 1, { items: [{ title: 'Punto aggiunto' }] }, true);
  expect(await sent(meetingId, 'addendum')).toEqual([
    'addendum:assessora-nuova@example.org',
    'addendum:coordcr@example.org',
    'addendum:subentra@example.org',
  ]);
  await mail.activities.cancelMeeting(meetingId, 0, { reason: 'Sala non disponibile' }, true);
  expect(await sent(meetingId, 'cancellation')).toEqual([
    'cancellation:assessora-nuova@example.org',
    'cancellation:coordcr@example.org',
    'cancellation:subentra@example.org',
  ]);
  expect(await sent(meetingId, 'convocation')).toHaveLength(5);
});

// The seat rappresentante-1 is held by the first test's successor from here on.
it('a session moved past the day a seat changes hands convenes the successor, for the new date', async () => {
  const { cr } = district.bodies;
  const meetingId = (await createMeeting(db.prisma, cr, '2037-05-12')).id;
  await mail.activities.sendConvocations(meetingId, 0);
  const seat = await db.prisma.seat.findFirstOrThrow({ where: { bodyId: cr, code: 'coordinatore' } });
  const successor = await db.prisma.person.create({
    data: { fullName: 'Coordinatrice Subentrante', email: 'coord-nuova@example.org' },
  });
  const assigned = await app.inject({
    method: 'POST',
    url: `/api/v1/bodies/${cr}/seats/${seat.id}/holders`,
    headers: await actAs(db.prisma, COORDINATORE_FIXTURE),
    payload: { personId: successor.id, validFrom: '2037-05-20' },
  });
  expect(assigned.statusCode).toBe(201);
  // Nothing changes for the session of the 12th: the coordinator still holds the seat that day.
  await mail.activities.sendReminders(meetingId, 0);
  expect(await sent(meetingId, 'reminder')).toContain('reminder:coordcr@example.org');
  expect(await sent(meetingId, 'convocation')).not.toContain('convocation:coord-nuova@example.org');

  await mail.activities.rescheduleMeeting(meetingId, 1, {
    startsAt: '2037-05-26T18:00:00+02:00',
    endsAt: '2037-05-26T20:00:00+02:00',
  });
  await mail.activities.sendRescheduleNotices(meetingId, 1);
  const convocations = await db.prisma.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `convocation:${meetingId}:${successor.id}:` } },
  });
  expect(convocations.map((c) => c.idempotencyKey)).toEqual([`convocation:${meetingId}:${successor.id}:1`]);
  const notices = await sent(meetingId, 'reschedule');
  expect(notices).not.toContain('reschedule:coord-nuova@example.org');
  expect(notices).not.toContain('reschedule:coordcr@example.org');
  expect(notices).toContain('reschedule:subentra@example.org');
});

it('recorded after the last reminder, the successor is convened at once by the route, and only once', async () => {
  const { cr } = district.bodies;
  const meetingId = (await createMeeting(db.prisma, cr, '2037-06-16')).id;
  await mail.activities.sendConvocations(meetingId, 0);
  await mail.activities.sendReminders(meetingId, 0);
  const seat = await db.prisma.seat.findFirstOrThrow({ where: { bodyId: cr, code: 'rappresentante-1' } });
  const third = await db.prisma.person.create({
    data: { fullName: 'Sindaco Terzo', email: 'terzo@example.org' },
  });
  const assigned = await mailing.inject({
    method: 'POST',
    url: `/api/v1/bodies/${cr}/seats/${seat.id}/holders`,
    headers: await actAs(db.prisma, COORDINATORE_FIXTURE),
    payload: { personId: third.id, validFrom: '2037-06-15' },
  });
  expect(assigned.statusCode).toBe(201);
  const convocation = await db.prisma.outboxMessage.findFirstOrThrow({
    where: { idempotencyKey: `convocation:${meetingId}:${third.id}:0` },
  });
  expect([convocation.kind, convocation.status]).toEqual(['convocation', 'sent']);
  expect(convocation.textBody).toContain('/risposta/');

  // A step that runs later (here the reminder, retried) finds the convocation and sends no other.
  await mail.activities.sendReminders(meetingId, 0);
  await mail.activities.cancelMeeting(meetingId, 0, { reason: 'Sala non disponibile' }, true);
  expect(await sent(meetingId, 'convocation')).toContain('convocation:terzo@example.org');
  expect(await sent(meetingId, 'convocation')).toHaveLength(4);
  expect(await sent(meetingId, 'cancellation')).toContain('cancellation:terzo@example.org');
  expect(await sent(meetingId, 'cancellation')).not.toContain('cancellation:subentra@example.org');
});
