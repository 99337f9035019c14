/**
 * Whoever no longer holds the seat on the day of the session does not answer for it. The mayor is convened,
 * then the Ufficio di Piano records a successor from a day before the session: the mayor's convocation link
 * and Le mie riunioni refuse the answer, nothing is stored, and the successor answers. Real Postgres, the
 * real meeting activities, SMTP to a loopback catcher.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { actAs } from '../../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { startMailActivities, type MailActivities } from '../../tests/support/mail-activities';
import { COORDINATORE_FIXTURE } from '../../tests/api/support';
import { createDistrict, createMeeting, type District } from '../../tests/workflows/fixture';
import type { Answering } from './answering';
import { answerPagesPlugin } from './plugin';
import { answerToken } from './tokens';

const SECRET = 'former-secret-former-secret-former-1234';

let db: TestDatabase;
let mail: MailActivities;
let app: FastifyInstance;
let district: District;
let answering: Answering;

beforeAll(async () => {
  db = await createTestDatabase();
  mail = await startMailActivities(db.prisma, SECRET);
  district = await createDistrict(db.prisma);
  const { config } = mail;
  answering = mail.answering;
  app = await buildServer({
    db: db.prisma,
    config,
    answering,
    plugins: [async (scope) => void (await scope.register(answerPagesPlugin, { db: db.prisma, answering }))],
  });
});
afterAll(async () => {
  await app?.close();
  await mail?.close();
  await db?.cleanup();
});

it('a mayor replaced before the session can no longer answer for the seat; the successor can', async () => {
  const meetingId = (await createMeeting(db.prisma, district.bodies.cr, '2037-04-14')).id;
  await mail.activities.sendConvocations(meetingId, 0);
  const mayor = district.people.sindaco1!;
  const invitation = await db.prisma.invitation.findFirstOrThrow({ where: { meetingId, personId: mayor } });

  const successor = await db.prisma.person.create({
    data: { fullName: 'Sindaca Subentrante', email: 'subentra@example.org' },
  });
  const seat = await db.prisma.seat.findFirstOrThrow({
    where: { bodyId: district.bodies.cr, code: 'rappresentante-1' },
  });
  const assigned = await app.inject({
    method: 'POST',
    url: `/api/v1/bodies/${district.bodies.cr}/seats/${seat.id}/holders`,
    headers: await actAs(db.prisma, COORDINATORE_FIXTURE),
    payload: { personId: successor.id, validFrom: '2037-04-01' },
  });
  expect(assigned.statusCode).toBe(201);

  const byLink = await app.inject({
    method: 'POST',
    url: `/risposta/${answerToken(SECRET, invitation.id)}`,
    payload: { scelta: 'presente' },
  });
  expect(byLink.statusCode).toBe(403);
  expect(byLink.body).toContain('non ricopre un seggio');
  const signedIn = await app.inject({
    method: 'POST',
    url: `/api/v1/my-meetings/${meetingId}/answer`,
    headers: await actAs(db.prisma, 'sindaco1@example.org'),
    payload: { scelta: 'assente' },
  });
  expect([signedIn.statusCode, signedIn.json().error]).toEqual([403, 'non_convocato']);
  expect(await db.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toEqual(invitation);

  // The successor answers for the seat (signed in, their roles follow the real date: the operation itself).
  const bySuccessor = await answering.answer(
    { meetingId, personId: successor.id, actor: 'test' },
    { scelta: 'presente', nome_delegato: '', email_delegato: '' },
    new Date('2037-04-02T09:00:00+02:00'),
  );
  expect(bySuccessor.answer).toBe('present');
});
