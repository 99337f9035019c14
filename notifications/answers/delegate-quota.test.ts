/**
 * Naming and replacing a one-meeting delegate sends mail from the district's sender to whatever address the
 * member typed: a convocation to the one named, a withdrawal to the one replaced. Switching back and forth
 * would make the service send without end, so each invitation may cause a bounded number of such messages,
 * whichever door its answers come through (the answer link, or signed in); answering for oneself is never
 * refused. Real Postgres, the real meeting activities, SMTP to a loopback catcher.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { actAs } from '../../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { startMailActivities, type MailActivities } from '../../tests/support/mail-activities';
import { createDistrict, createMeeting, type District } from '../../tests/workflows/fixture';
import { MAX_DELEGATE_MESSAGES } from './answering';
import { answerPagesPlugin } from './plugin';
import { answerToken } from './tokens';

const SECRET = 'quota-secret-quota-secret-quota-secret-1';
const A = { nome_delegato: 'Lia Neri', email_delegato: 'lia.neri@example.org' };
const B = { nome_delegato: 'Ugo Bassi', email_delegato: 'ugo.bassi@example.org' };

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
  app = await buildServer({
    db: db.prisma,
    config,
    answering,
    plugins: [async (scope) => void (await scope.register(answerPagesPlugin, { db: db.prisma, answering }))],
  });
  meetingId = (await createMeeting(db.prisma, district.bodies.cr, '2037-04-14')).id;
  await mail.activities.sendConvocations(meetingId, 0);
});
afterAll(async () => {
  await app?.close();
  await mail?.close();
  await db?.cleanup();
});

/** The signed-in door (JSON). */
const signedIn = async (body: Record<string, string>) => {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/my-meetings/${meetingId}/answer`,
    headers: await actAs(db.prisma, 'sindaco1@example.org'),
    payload: body,
  });
  return { status: response.statusCode, body: response.body };
};

/** The answer link's door (the public form). */
const byLink = async (body: Record<string, string>) => {
  const own = await db.prisma.invitation.findFirstOrThrow({
    where: { meetingId, personId: district.people.sindaco1! },
  });
  const response = await app.inject({
    method: 'POST',
    url: `/risposta/${answerToken(SECRET, own.id)}`,
    payload: body,
  });
  return { status: response.statusCode, body: response.body };
};

const toDelegates = () =>
  mail.catcher.mailbox
    .list()
    .filter((m) => m.to.some((to) => to.includes(A.email_delegato) || to.includes(B.email_delegato)));

const queuedToDelegates = () =>
  db.prisma.outboxMessage.count({
    where: { recipientEmail: { in: [A.email_delegato, B.email_delegato] } },
  });

const everything = async () => ({
  invitations: await db.prisma.invitation.findMany({ orderBy: { id: 'asc' } }),
  people: await db.prisma.person.count(),
  outbox: await db.prisma.outboxMessage.count(),
  audit: await db.prisma.auditEvent.count({ where: { NOT: { action: { startsWith: 'auth.' } } } }),
});

it('switching delegates back and forth stops at a bounded number of messages, through either door', async () => {
  const accepted: number[] = [];
  let refused: { status: number; body: string } | null = null;
  for (let i = 0; i < 20 && !refused; i++) {
    const delegate = i % 2 === 0 ? A : B;
    const door = i % 2 === 0 ? byLink : signedIn;
    const before = await everything();
    const outcome = await door({ scelta: 'delegato', ...delegate });
    if (outcome.status === 303 || outcome.status === 200) {
      accepted.push(i);
      continue;
    }
    refused = outcome;
    // Refused: nothing changed, nothing was queued.
    expect(await everything()).toEqual(before);
  }
  // A member who names a delegate, then another, then goes back to the first is served.
  expect(accepted.length).toBeGreaterThanOrEqual(3);
  expect(refused?.status).toBe(409);
  expect(await queuedToDelegates()).toBeLessThanOrEqual(MAX_DELEGATE_MESSAGES);
  expect(toDelegates().length).toBe(await queuedToDelegates());

  // Both doors say why, in Italian: the JSON route by code and field, the page beside the choice.
  const api = await signedIn({ scelta: 'delegato', ...(accepted.length % 2 === 0 ? A : B) });
  expect(api.status).toBe(409);
  expect(JSON.parse(api.body)).toMatchObject({
    error: 'troppi_cambi_delegato',
    fields: [{ field: 'scelta', message: expect.stringMatching(/delegato/) }],
  });
  const page = await byLink({
    scelta: 'delegato',
    nome_delegato: 'Nuovo Nome',
    email_delegato: 'nuovo@example.org',
  });
  expect(page.status).toBe(409);
  expect(page.body).toContain('cambiato troppe volte');
  expect(await db.prisma.person.count({ where: { email: 'nuovo@example.org' } })).toBe(0);

  // Answering for oneself is never refused: the delegate named last is told, once more, and that is all.
  expect((await signedIn({ scelta: 'presente' })).status).toBe(200);
  expect((await byLink({ scelta: 'assente' })).status).toBe(303);
  expect(await queuedToDelegates()).toBeLessThanOrEqual(MAX_DELEGATE_MESSAGES + 1);
  expect(toDelegates().length).toBe(await queuedToDelegates());
});
