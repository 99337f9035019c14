/**
 * npm run bench:mail
 *
 * Fans out one convocation (with its calendar invite) to 500 recipients through the outbox (render, store
 * in Postgres, claim, send, record) and sends the same 500 messages with a bare nodemailer loop (render,
 * send), both over the same kind of SMTP pool to a local SMTP server. Prints both rates and the ratio;
 * the target is outbox >= 80% of bare. Uses DATABASE_URL when set, else a throwaway embedded Postgres.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient } from '../../prisma/client';
import { startEmbeddedPostgres } from '../../prisma/embedded';
import { applyMigrations } from '../../prisma/migrate';
import { buildInvite } from '../calendar';
import { startMailCatcher } from '../catcher/server';
import { createOutbox } from '../outbox/outbox';
import { renderMessage } from '../templates/render';
import { fanOutRequests } from '../testing/fanout';
import { SAMPLES } from '../testing/samples';
import { createMailer } from '../transport';

const RECIPIENTS = 500;
const ROUNDS = 3;
const CONCURRENCY = 5;
const FROM = 'Ufficio di Piano <udp@crema.example.org>';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-mail-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: () => {} });
  return {
    url: server.url(),
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const db = await database();
await applyMigrations(db.url);
const prisma = createPrismaClient(db.url);
const catcher = await startMailCatcher();
const mailer = createMailer({ smtpUrl: catcher.url, maxConnections: CONCURRENCY });
const outbox = createOutbox({ db: prisma, mailer, from: FROM, concurrency: CONCURRENCY });

async function viaOutbox(tag: string, count: number): Promise<number> {
  const requests = fanOutRequests(tag, count);
  const keys = requests.map((r) => r.key);
  const started = performance.now();
  await outbox.enqueue(requests);
  let sent = 0;
  for (let round = 0; sent < count && round < 10; round++) sent += (await outbox.deliver({ keys })).sent;
  const seconds = (performance.now() - started) / 1000;
  if (sent !== count) throw new Error(`outbox sent ${sent} of ${count}`);
  return count / seconds;
}

async function bare(tag: string, count: number): Promise<number> {
  const requests = fanOutRequests(tag, count);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const rendered = renderMessage('convocation', {
          ...SAMPLES.convocation,
          recipient: { name: request.to.name! },
        });
        const ics = buildInvite({
          method: 'REQUEST',
          meetingId: tag,
          revision: 0,
          summary: SAMPLES.convocation.meeting.bodyName,
          startsAt: SAMPLES.convocation.meeting.startsAt,
          endsAt: SAMPLES.convocation.meeting.endsAt,
          location: SAMPLES.convocation.meeting.place,
          organizer: { name: 'Ufficio di Piano', email: 'udp@crema.example.org' },
          attendee: { name: request.to.name!, email: request.to.email },
          stampedAt: new Date().toISOString(),
          uidDomain: 'crema.example.org',
        });
        await mailer.send('smtp', {
          from: FROM,
          to: { name: request.to.name, address: request.to.email },
          ...rendered,
          messageId: `<${tag}-${next}@crema.example.org>`,
          date: new Date(),
          calendar: { method: 'REQUEST', content: ics },
        });
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

try {
  // Warm-up: JIT, SMTP pool connections, Postgres caches.
  await bare('warmup-bare', 50);
  await viaOutbox('warmup-outbox', 50);
  let bestBare = 0;
  let bestOutbox = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    bestBare = Math.max(bestBare, await bare(`bare-${round}`, RECIPIENTS));
    bestOutbox = Math.max(bestOutbox, await viaOutbox(`outbox-${round}`, RECIPIENTS));
  }
  const ratio = bestOutbox / bestBare;
  console.log(
    `bench:mail — ${RECIPIENTS} destinatari, convocazione con invito, pool SMTP di ${CONCURRENCY} connessioni, best of ${ROUNDS}`,
  );
  console.log(`  nodemailer diretto / bare loop : ${bestBare.toFixed(0)} messaggi/s`);
  console.log(`  tramite outbox / via outbox    : ${bestOutbox.toFixed(0)} messaggi/s`);
  console.log(
    `  rapporto / ratio               : ${(ratio * 100).toFixed(0)}% (obiettivo / target >= 80%) ${ratio >= 0.8 ? 'OK' : 'SOTTO OBIETTIVO / BELOW TARGET'}`,
  );
  console.log(`  messaggi ricevuti dal server SMTP locale: ${catcher.mailbox.list().length}`);
} finally {
  mailer.close();
  await catcher.close();
  await prisma.$disconnect();
  await db.stop();
}
