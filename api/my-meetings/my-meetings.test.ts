/**
 * Answering from Le mie riunioni through the JSON door (the form is in tests/browser/my-meetings.test.ts):
 * a delegate named before the convocation left gets it from the meeting's own convocation, once; the seat's
 * rule, the start of the session, a delegate naming another and a person who was not convened are refused
 * with the reason, changing nothing; a delegate no longer named is told and loses the invitation. Real
 * Postgres, the real meeting activities, SMTP to a loopback catcher.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerToken } from '../../notifications/answers/tokens';
import { actAs } from '../../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { startMailActivities, type MailActivities } from '../../tests/support/mail-activities';
import { createDistrict, createMeeting, type District } from '../../tests/workflows/fixture';
import { buildServer } from '../server';

const SECRET = 'my-meetings-secret-my-meetings-secret-12';
const LIA = { nome_delegato: 'Lia Neri', email_delegato: 'lia.neri@example.org' };

let db: TestDatabase;
let mail: MailActivities;
let app: FastifyInstance;
let district: District;
let meetingId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  mail = await startMailActivities(db.prisma, SECRET);
  district = await createDistrict(db.prisma);
  const { config, answering } = mail;
  app = await buildServer({ db: db.prisma, config, answering });
  meetingId = (await createMeeting(db.prisma, district.bodies.cr, '2037-04-14')).id;
});
afterAll(async () => {
  await app?.close();
  await mail?.close();
  await db?.cleanup();
});

const answer = async (key: string, body: unknown, id = meetingId) => {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/my-meetings/${id}/answer`,
    headers: await actAs(db.prisma, `${key}@example.org`),
    payload: body as Record<string, string>,
  });
  return { status: response.statusCode, body: response.json() };
};

const everything = async () => ({
  invitations: await db.prisma.invitation.findMany({ orderBy: { id: 'asc' } }),
  people: await db.prisma.person.count(),
  outbox: await db.prisma.outboxMessage.count(),
});

describe('POST /api/v1/my-meetings/:id/answer', () => {
  it('names a delegate before the convocation: nothing sent then, the convocation reaches them once', async () => {
    const named = await answer('sindaco1', { scelta: 'delegato', ...LIA });
    expect(named.status).toBe(200);
    const lia = await db.prisma.person.findUniqueOrThrow({ where: { email: LIA.email_delegato } });
    expect(named.body.risposta).toMatchObject({
      answer: 'delegate',
      delegateName: 'Lia Neri',
      delegatePersonId: lia.id,
    });
    expect(await db.prisma.outboxMessage.count()).toBe(0);

    await mail.activities.sendConvocations(meetingId, 0);
    await mail.activities.sendConvocations(meetingId, 0); // a retried activity
    const toLia = await db.prisma.outboxMessage.findMany({ where: { personId: lia.id } });
    expect(toLia.map((m) => [m.idempotencyKey, m.status])).toEqual([
      [`convocation:${meetingId}:${lia.id}:0`, 'sent'],
    ]);
    expect(
      mail.catcher.mailbox.list().filter((m) => m.to.some((to) => to.includes(LIA.email_delegato))),
    ).toHaveLength(1);
    // The seat holders got theirs as always.
    expect(await db.prisma.outboxMessage.count({ where: { kind: 'convocation' } })).toBe(4);
  });

  it('refuses a delegate where the seat allows none, by the field, changing nothing', async () => {
    await db.prisma.seat.updateMany({ where: { code: 'rappresentante-2' }, data: { allowsDelegate: false } });
    const before = await everything();
    const refused = await answer('sindaco2', { scelta: 'delegato', ...LIA });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'delega_non_ammessa',
      fields: [{ field: 'scelta', message: 'il seggio «rappresentante-2» non ammette delegati' }],
    });
    expect(await everything()).toEqual(before);
  });

  it('lets a one-meeting delegate answer for themselves but not name another', async () => {
    const before = await everything();
    const refused = await answer('lia.neri', {
      scelta: 'delegato',
      nome_delegato: 'Ugo Bassi',
      email_delegato: 'ugo@example.org',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.fields[0].message).toMatch(/non può nominarne un altro/);
    expect(await everything()).toEqual(before);
    expect((await answer('lia.neri', { scelta: 'presente' })).status).toBe(200);
  });

  it('refuses whoever was not convened, a malformed choice, and a session already started', async () => {
    // The Sovraintendenza reads every meeting of the ambito but holds no seat on the Comitato.
    const notConvened = await answer('sov2', { scelta: 'presente' });
    expect(notConvened).toMatchObject({ status: 403, body: { error: 'non_convocato' } });
    const malformed = await answer('sindaco1', { scelta: 'forse' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields).toEqual([
      { field: 'scelta', message: 'Scegliere presente, assente o delegato' },
    ]);
    const started = await db.prisma.meeting.create({
      data: {
        bodyId: district.bodies.cr,
        plannedDateKey: 'iniziata',
        status: 'convened',
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 3_600_000),
      },
    });
    const late = await answer('sindaco1', { scelta: 'assente' }, started.id);
    expect(late).toMatchObject({ status: 409, body: { error: 'seduta_iniziata' } });
    expect(await db.prisma.invitation.count({ where: { meetingId: started.id } })).toBe(0);
  });

  it('a meeting link from an e-mail, opened signed in, leads to the meeting in Le mie riunioni', async () => {
    const signedIn = await app.inject({
      url: `/riunioni/${meetingId}`,
      headers: { ...(await actAs(db.prisma, 'sindaco1@example.org')), accept: 'text/html' },
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toContain(`href="/mie-riunioni/${meetingId}"`);
    const page = await app.inject({
      url: `/mie-riunioni/${meetingId}`,
      headers: { ...(await actAs(db.prisma, 'sindaco1@example.org')), accept: 'text/html' },
    });
    expect(page.body).toContain('Risposta registrata: <strong>invia un delegato</strong> – Lia Neri');
  });

  it('tells a delegate no longer named, once, with a calendar cancellation, and takes back their invitation', async () => {
    const lia = await db.prisma.person.findUniqueOrThrow({ where: { email: LIA.email_delegato } });
    const mailTo = (email: string) =>
      mail.catcher.mailbox.list().filter((m) => m.to.some((to) => to.includes(email)));
    // The meeting is convened: the new delegate gets the convocation now, the one replaced is told.
    const renamed = await answer('sindaco1', {
      scelta: 'delegato',
      nome_delegato: 'Ugo Bassi',
      email_delegato: 'ugo@example.org',
    });
    expect(renamed.status).toBe(200);
    expect(await db.prisma.invitation.count({ where: { meetingId, personId: lia.id } })).toBe(0);
    const toLia = await db.prisma.outboxMessage.findMany({
      where: { personId: lia.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(toLia.map((m) => [m.kind, m.status])).toEqual([
      ['convocation', 'sent'],
      ['delegationWithdrawn', 'sent'],
    ]);
    const told = mailTo(LIA.email_delegato).find((m) => m.subject.startsWith('Delega ritirata'))!;
    expect(told.subject).toContain('Comitato Ristretto');
    const source = mail.catcher.mailbox.source(told.id)!.toString();
    expect(source).toContain('METHOD:CANCEL');
    expect(mailTo('ugo@example.org').map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Convocazione /),
    ]);
    // Lia's answer link and the meeting's reminders no longer reach her; the audit says who withdrew whom.
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { entity: 'meeting', action: 'meeting.delegate_withdrawn', entityId: meetingId },
    });
    expect(audit.data).toEqual({ personId: lia.id, told: true });

    // Answering for oneself withdraws the delegate too; one who holds a seat of their own keeps it, untold.
    expect((await answer('sindaco1', { scelta: 'presente' })).status).toBe(200);
    const ugo = await db.prisma.person.findUniqueOrThrow({ where: { email: 'ugo@example.org' } });
    expect(await db.prisma.invitation.count({ where: { meetingId, personId: ugo.id } })).toBe(0);
    expect(mailTo('ugo@example.org')).toHaveLength(2);
    // Named again, Ugo gets a convocation again: the first one was withdrawn.
    const again = await answer('sindaco1', {
      scelta: 'delegato',
      nome_delegato: 'Ugo Bassi',
      email_delegato: 'ugo@example.org',
    });
    expect(again.status).toBe(200);
    expect(mailTo('ugo@example.org').map((m) => m.subject.split(' ')[0])).toEqual([
      'Convocazione',
      'Delega',
      'Convocazione',
    ]);
    expect((await answer('sindaco1', { scelta: 'presente' })).status).toBe(200);
    expect(mailTo('ugo@example.org')).toHaveLength(4);
    const member = await db.prisma.person.findUniqueOrThrow({ where: { email: 'coordcr@example.org' } });
    const before = mailTo('coordcr@example.org').length;
    await answer('sindaco1', {
      scelta: 'delegato',
      nome_delegato: 'Coordinatrice',
      email_delegato: 'coordcr@example.org',
    });
    expect((await answer('sindaco1', { scelta: 'presente' })).status).toBe(200);
    expect(await db.prisma.invitation.count({ where: { meetingId, personId: member.id } })).toBe(1);
    expect(mailTo('coordcr@example.org')).toHaveLength(before);
  });

  it("an answer link's token opens the meeting, not Le mie riunioni, which asks to sign in", async () => {
    const own = await db.prisma.invitation.findFirstOrThrow({
      where: { meetingId, personId: district.people.sindaco1 },
    });
    const t = answerToken(SECRET, own.id);
    const signIn = `/accesso?ritorno=${encodeURIComponent(`/mie-riunioni/${meetingId}`)}`;
    const meeting = await app.inject({
      url: `/riunioni/${meetingId}?t=${t}`,
      headers: { accept: 'text/html' },
    });
    expect(meeting.statusCode).toBe(200);
    const page = await app.inject({
      url: `/mie-riunioni/${meetingId}?t=${t}`,
      headers: { accept: 'text/html' },
    });
    expect([page.statusCode, page.headers.location]).toEqual([303, signIn]);
    const form = await app.inject({
      method: 'POST',
      url: `/mie-riunioni/${meetingId}/risposta?t=${t}`,
      payload: { scelta: 'assente' },
    });
    expect([form.statusCode, form.headers.location]).toEqual([303, signIn]);
    const api = await app.inject({
      method: 'POST',
      url: `/api/v1/my-meetings/${meetingId}/answer?t=${t}`,
      payload: { scelta: 'assente' },
    });
    expect([api.statusCode, api.json().error]).toEqual([401, 'accesso_richiesto']);
    expect(await db.prisma.invitation.findUniqueOrThrow({ where: { id: own.id } })).toEqual(own);
  });
});
