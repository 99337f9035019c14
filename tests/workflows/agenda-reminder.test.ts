/**
 * "Ordine del giorno da preparare": three working days before a convocation would leave by itself, its
 * convener and the body's segreteria get one e-mail each, in their own language, linking to the meeting's
 * page. On the real stack (Postgres, the offline Temporal server with time skipping, the real worker and an
 * SMTP catcher): sent once, also across a worker restart; not sent once the convocation was released, nor
 * when the meeting is cancelled, nor when the deadline is already closer than the reminder.
 */
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays, dayInRome } from '../../domain/index';
import { signalMeeting, startMeetingWorkflow } from '../../workflows/client';
import { createDistrict, createMeeting, type District } from './fixture';
import { startStack, type Stack } from './harness';

let stack: Stack;
let district: District;
let worker: Worker;
let running: Promise<void>;

async function startWorker() {
  worker = await stack.newWorker();
  running = worker.run();
}
async function stopWorker() {
  worker.shutdown();
  await running;
}

beforeAll(async () => {
  stack = await startStack('agenda-reminder-test');
  district = await createDistrict(stack.db.prisma);
  // The Comitato Ristretto's segreteria, who reads English.
  const segretaria = await stack.db.prisma.person.create({
    data: { fullName: 'Segretaria del Comitato', email: 'segretaria@example.org', language: 'en' },
  });
  district.people.segretaria = segretaria.id;
  await stack.db.prisma.segreteria.create({
    data: { bodyId: district.bodies.cr, personId: segretaria.id },
  });
  await startWorker();
});
afterAll(async () => {
  await stopWorker();
  await stack?.close();
});

/** Outbox rows of a meeting as "<purpose>:<person key>", sorted. */
async function sent(meetingId: string): Promise<string[]> {
  const byId = Object.fromEntries(Object.entries(district.people).map(([k, v]) => [v, k]));
  const rows = await stack.db.prisma.outboxMessage.findMany({
    where: { idempotencyKey: { contains: meetingId } },
  });
  return rows.map((r) => `${r.idempotencyKey.split(':')[0]}:${byId[r.personId!]}`).sort();
}

it('asks the convener and the segreteria, once each and in their language, three working days ahead; survives a worker restart', async () => {
  const db = stack.db.prisma;
  // Tuesday 9 March 2027: the convocation leaves on Wednesday 3 March, so the e-mail on Friday 26 February.
  const meeting = await createMeeting(db, district.bodies.cr, '2027-03-09');
  const id = meeting.id;
  expect(await startMeetingWorkflow(stack.gc, id)).toBe(true);
  await stack.skipPast('2027-02-25T09:00:00+01:00');
  expect(await sent(id)).toEqual([]);

  await stack.skipPast('2027-02-26T09:00:00+01:00');
  expect(await sent(id)).toEqual(['agenda-reminder:coordcr', 'agenda-reminder:segretaria']);
  const rows = await db.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `agenda-reminder:${id}` } },
  });
  const italian = rows.find((r) => r.personId === district.people.coordcr)!;
  expect(italian.kind).toBe('agendaPreparation');
  expect(italian.subject).toBe('Ordine del giorno da preparare – Comitato Ristretto, martedì 9 marzo 2027');
  expect(italian.textBody).toContain(
    'Ordine del giorno da preparare: la convocazione della seduta di Comitato Ristretto partirà il mercoledì 3 marzo 2027, ore 09:00.',
  );
  expect(italian.textBody).toContain('contiene solo i punti predefiniti');
  expect(italian.textBody).toContain(`Apri la seduta: http://localhost:3000/sedute/${id}`);
  const english = rows.find((r) => r.personId === district.people.segretaria)!;
  expect(english.subject).toBe('Agenda to prepare – Comitato Ristretto, Tuesday 9 March 2027');
  expect(english.textBody).toContain(`Open the meeting: http://localhost:3000/sedute/${id}`);

  // A new worker replays the meeting's history (with the e-mail in it) from an empty cache.
  await stopWorker();
  await startWorker();
  await stack.skipPast('2027-03-03T09:00:00+01:00');
  expect(await sent(id)).toEqual([
    'agenda-reminder:coordcr',
    'agenda-reminder:segretaria',
    'convocation:assessore2',
    'convocation:coordcr',
    'convocation:sindaco1',
  ]);
  expect((await db.meeting.findUniqueOrThrow({ where: { id } })).status).toBe('convened');
  // Delivered once each, whatever the restart.
  const delivered = stack.catcher.mailbox.list().filter((m) => /da preparare|to prepare/.test(m.subject));
  expect(delivered.map((m) => `${m.to.join()} ${m.deliveries}`).sort()).toEqual([
    'coordcr@example.org 1',
    'segretaria@example.org 1',
  ]);
});

it('sends nothing once the convocation was released early, or the meeting cancelled', async () => {
  const db = stack.db.prisma;
  // Tuesday 13 April 2027: the e-mail would leave on Thursday 1 April, the convocation on Wednesday the 7th.
  const released = await createMeeting(db, district.bodies.cr, '2027-04-13', ['Bilancio sociale']);
  const cancelled = await createMeeting(db, district.bodies.ads, '2027-04-15');
  for (const m of [released, cancelled]) expect(await startMeetingWorkflow(stack.gc, m.id)).toBe(true);
  await stack.skipPast('2027-03-29T09:00:00+02:00');
  await signalMeeting(stack.gc, released.id, 'releaseConvocation');
  await signalMeeting(stack.gc, cancelled.id, 'cancel', { reason: 'Sala non disponibile' });
  await stack.skipPast('2027-04-08T09:00:00+02:00');
  expect(await sent(released.id)).toEqual([
    'convocation:assessore2',
    'convocation:coordcr',
    'convocation:sindaco1',
  ]);
  expect(await sent(cancelled.id)).toEqual([]);
  expect((await db.meeting.findUniqueOrThrow({ where: { id: cancelled.id } })).status).toBe('cancelled');
});

it('sends nothing when the convocation deadline is already closer than the reminder', async () => {
  const db = stack.db.prisma;
  // A session eight days ahead: its convocation leaves within two days, the reminder's moment has passed.
  const today = dayInRome(new Date(await stack.env.currentTimeMs()));
  const soon = await createMeeting(db, district.bodies.cr, addDays(today, 8));
  expect(await startMeetingWorkflow(stack.gc, soon.id)).toBe(true);
  // Past the convocation (at most two days ahead), before the answer reminder (at least four).
  await stack.skipPast(`${addDays(today, 3)}T09:00:00+02:00`);
  expect(await sent(soon.id)).toEqual([
    'convocation:assessore2',
    'convocation:coordcr',
    'convocation:sindaco1',
  ]);
});
