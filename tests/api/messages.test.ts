/**
 * The coordinator's view of e-mails that did not go out, on a real Postgres and real SMTP servers: the
 * list says why each one failed; a message given up during a long relay outage can be put back in the
 * queue and then leaves once, with its original Message-ID; one that cannot work unchanged (an invalid
 * address, PEC without a PEC relay) is refused with the reason, and nothing changes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { startMailCatcher, type MailCatcher } from '../../notifications/catcher/server';
import { createOutbox } from '../../notifications/outbox/outbox';
import type { NotificationRequest } from '../../notifications/outbox/request';
import { SAMPLES } from '../../notifications/testing/samples';
import { createMailer } from '../../notifications/transport';
import { freePort } from '../../prisma/free-port';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

const FROM = 'Ufficio di Piano <udp@crema.example.org>';
let db: TestDatabase;
let catcher: MailCatcher;
let app: FastifyInstance;
const keys = {
  badAddress: 'convocation:m-failed:bad:0',
  outage: 'convocation:m-failed:outage:0',
  pec: 'convocation:m-failed:pec:0',
};

/** The Sindaco di Pandino of the seeded Cremasco: whose failed messages the Cremasco's coordinator sees. */
let recipientId: string;
let coordinator: Record<string, string>;
let coordinatorId: string;

const request = (key: string, email: string, channel: 'smtp' | 'pec' = 'smtp'): NotificationRequest => ({
  key,
  kind: 'convocation',
  data: SAMPLES.convocation,
  to: { name: 'Sindaco', email },
  channel,
  personId: recipientId,
});

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCremasco(db.prisma);
  recipientId = (
    await db.prisma.person.findUniqueOrThrow({ where: { email: 'sindaco.pandino@example.org' } })
  ).id;
  coordinator = await actAs(db.prisma, COORDINATORE);
  coordinatorId = (await db.prisma.person.findUniqueOrThrow({ where: { email: COORDINATORE } })).id;
  catcher = await startMailCatcher();
  app = await buildServer({ db: db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  // Refused before any attempt: an invalid address, and PEC with no PEC relay configured.
  const noRelay = createMailer({ smtpUrl: `smtp://127.0.0.1:${await freePort()}` });
  const givingUp = createOutbox({
    db: db.prisma,
    mailer: noRelay,
    from: FROM,
    retry: { baseMs: 1, maxMs: 1, maxAttempts: 1 },
  });
  try {
    await givingUp.enqueue([
      request(keys.badAddress, 'sindaco@@pandino'),
      request(keys.pec, 'protocollo@pec.pandino.example.org', 'pec'),
    ]);
    // The relay is down, and this outbox gives up after one attempt (production: 12, over hours).
    await givingUp.send([request(keys.outage, 'sindaco@vaiano.example.org')]);
  } finally {
    noRelay.close();
  }
});

afterAll(async () => {
  await app?.close();
  await catcher?.close();
  await db?.cleanup();
});

async function failedList() {
  const response = await app.inject({ url: '/api/v1/messages/failed', headers: coordinator });
  expect(response.statusCode).toBe(200);
  return (response.json() as { messages: { id: string; reason: string; recipient: { email: string } }[] })
    .messages;
}

const idOf = async (key: string) =>
  (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } })).id;

const retry = (id: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/messages/${id}/retry`,
    headers: coordinator,
  });

describe('failed messages', () => {
  it('are listed with the reason each one failed', async () => {
    const byEmail = new Map((await failedList()).map((m) => [m.recipient.email, m.reason]));
    expect(byEmail.size).toBe(3);
    expect(byEmail.get('sindaco@@pandino')).toMatch(/Indirizzo non valido/);
    expect(byEmail.get('protocollo@pec.pandino.example.org')).toMatch(/PEC non configurata/);
    expect(byEmail.get('sindaco@vaiano.example.org')).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
  });

  it('one that cannot work unchanged is refused with what to do, and nothing changes', async () => {
    const rowsBefore = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    const auditBefore = await db.prisma.auditEvent.count();
    const bad = await retry(await idOf(keys.badAddress));
    expect(bad.statusCode).toBe(409);
    expect(bad.json().message).toMatch(/non è valido: correggere l'e-mail della persona/);
    const pec = await retry(await idOf(keys.pec));
    expect(pec.statusCode).toBe(409);
    expect(pec.json().message).toMatch(/PEC_SMTP_URL/);
    expect((await retry('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await retry('not-an-id')).statusCode).toBe(400);
    expect(await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).toEqual(rowsBefore);
    expect(await db.prisma.auditEvent.count()).toBe(auditBefore);
  });

  it('one given up during an outage goes back in the queue and leaves once, with its Message-ID', async () => {
    const id = await idOf(keys.outage);
    const accepted = await retry(id);
    expect(accepted.statusCode).toBe(202);
    const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'queued', attempts: 0 });
    expect(row.lastError).toMatch(
      /^rimesso in coda da Coordinatore dell'Ufficio di Piano \(segnaposto\); errore precedente: /,
    );
    const audit = await db.prisma.auditEvent.findMany({ where: { entity: 'message', entityId: id } });
    expect(audit).toMatchObject([
      { actor: `person:${coordinatorId}/token:test`, action: 'message.requeued' },
    ]);

    // The pump every process runs, now with the relay back.
    const mailer = createMailer({ smtpUrl: catcher.url });
    try {
      expect(await createOutbox({ db: db.prisma, mailer, from: FROM }).deliver()).toMatchObject({ sent: 1 });
    } finally {
      mailer.close();
    }
    const caught = catcher.mailbox.list();
    expect(caught.map((m) => m.messageId)).toEqual([row.messageId]);
    expect((await failedList()).map((m) => m.recipient.email).sort()).toEqual([
      'protocollo@pec.pandino.example.org',
      'sindaco@@pandino',
    ]);
    const again = await retry(id);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/non è in errore \(stato: sent\)/);
  });
});
