/**
 * Relays misbehaving for a long time, through the real outbox and real SMTP on loopback. The misbehaviour
 * is scripted at the edge (a fake relay: smtp-server refusing with 421/451, a TCP proxy cutting the
 * connection mid-DATA, the catcher answering slowly), because a real relay cannot be told to fail.
 *
 * Already covered in outbox.test.ts: relay down (connection refused) then back; one 451 greylisting; 550
 * permanent; SIGKILL mid fan-out; in kill.test.ts, workers killed at random points. New here: a whole day
 * of 421/451 (the retry budget runs out, the failed list shows it, a retry after recovery delivers once),
 * connections dropped mid-DATA, and a relay that answers slowly.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { startMailCatcher } from '../catcher/server';
import { SAMPLES } from '../testing/samples';
import { createMailer } from '../transport';
import { listFailed, requeueFailed } from './failed';
import { createOutbox } from './outbox';
import type { NotificationRequest } from './request';

const FROM = 'Ufficio di Piano <udp@crema.example.org>';
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.cleanup());

function clock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

function convocations(meeting: string, count: number): NotificationRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `convocation:${meeting}:p${i}:0`,
    kind: 'convocation',
    data: SAMPLES.convocation,
    to: { name: `Sindaco ${i}`, email: `sindaco${i}@${meeting}.example.org` },
    invite: { method: 'REQUEST', meetingId: meeting, revision: 0 },
  }));
}

const listen = (server: Server | SMTPServer) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = (server instanceof SMTPServer ? server.server : server).address();
      resolve((address as { port: number }).port);
    }),
  );

async function statuses(keys: string[]) {
  const rows = await db.prisma.outboxMessage.findMany({ where: { idempotencyKey: { in: keys } } });
  return rows.map((row) => row.status);
}

it('fake relay answering 421/451 for a whole day: the retries give up visibly, a retry after recovery delivers each once', async () => {
  let refusing = true;
  const accepted = new Map<string, number>();
  const relay = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (refusing)
        return callback(Object.assign(new Error('Service not available, try later'), { responseCode: 421 }));
      callback();
    },
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => (head += chunk.toString('latin1')));
      stream.on('end', () => {
        const id = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '?';
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
        callback(null, 'Accepted');
      });
    },
  });
  const port = await listen(relay);
  const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
  try {
    const time = clock();
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM, now: time.now, concurrency: 2 });
    const requests = convocations('m-day', 5);
    const keys = requests.map((r) => r.key);
    await outbox.enqueue(requests);

    // A simulated day, the outbox woken whenever the next retry is due (as the worker would).
    const dayEnds = time.now().getTime() + 24 * 3600_000;
    let rounds = 0;
    for (;;) {
      const result = await outbox.deliver({ keys });
      rounds++;
      expect(result.sent).toBe(0);
      if (!result.nextAttemptAt) break;
      const next = Date.parse(result.nextAttemptAt);
      if (next > dayEnds) break;
      time.advance(Math.max(0, next - time.now().getTime()));
    }
    expect(rounds).toBeGreaterThan(5);
    expect(accepted.size).toBe(0);
    expect(await statuses(keys)).toEqual(keys.map(() => 'failed'));
    const failed = await listFailed(db.prisma, { keyPrefix: 'convocation:m-day:' });
    expect(failed).toHaveLength(5);
    for (const row of failed) expect(row.lastError).toMatch(/421/);

    refusing = false;
    for (const row of failed) {
      expect(
        await requeueFailed(db.prisma, row.id, { pecAvailable: false, at: time.now(), by: 'Coordinatrice' }),
      ).toMatchObject({ outcome: 'requeued' });
    }
    expect(await outbox.deliver({ keys })).toMatchObject({ sent: 5, pending: 0 });
    expect([...accepted.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(await listFailed(db.prisma, { keyPrefix: 'convocation:m-day:' })).toEqual([]);
  } finally {
    mailer.close();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  }
});

it('fake relay cutting connections mid-DATA: nothing is marked sent, every message arrives once afterwards', async () => {
  const catcher = await startMailCatcher();
  // A TCP proxy in front of the catcher: while `cutting`, it closes both sides once the client has started
  // sending a message's content, before the final dot, so the relay never accepts it.
  let cutting = true;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(catcher.port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let inData = false;
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (cutting && inData && !/\r\n\.\r\n/.test(text)) {
        cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      if (/^DATA\r\n/im.test(text)) inData = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const port = await listen(proxy);
  const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
  try {
    const time = clock();
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM, now: time.now, concurrency: 2 });
    const requests = convocations('m-cut', 4);
    const keys = requests.map((r) => r.key);
    await outbox.enqueue(requests);
    const first = await outbox.deliver({ keys });
    expect(first.sent).toBe(0);
    expect(cuts).toBeGreaterThan(0);
    expect(catcher.mailbox.list()).toHaveLength(0);
    expect((await statuses(keys)).filter((s) => s === 'sent')).toEqual([]);

    cutting = false;
    for (let round = 0; round < 10; round++) {
      const result = await outbox.deliver({ keys });
      if (result.pending === 0) break;
      time.advance(Math.max(0, Date.parse(result.nextAttemptAt!) - time.now().getTime()));
    }
    expect(await statuses(keys)).toEqual(keys.map(() => 'sent'));
    const caught = catcher.mailbox.list();
    expect(caught).toHaveLength(4);
    expect(caught.map((m) => m.deliveries)).toEqual([1, 1, 1, 1]);
  } finally {
    mailer.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await catcher.close();
  }
});

it('slow relay: a message is marked sent only after the relay accepted it, and each arrives once', async () => {
  const catcher = await startMailCatcher({ replyDelayMs: 1_500 });
  const mailer = createMailer({ smtpUrl: catcher.url });
  try {
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM, concurrency: 2 });
    const requests = convocations('m-slow', 4);
    const keys = requests.map((r) => r.key);
    await outbox.enqueue(requests);
    const delivering = outbox.deliver({ keys });
    let done = false;
    void delivering.finally(() => (done = true));
    // While the relay is still answering, never more rows marked sent than messages it has taken.
    while (!done) {
      const sent = (await statuses(keys)).filter((s) => s === 'sent').length;
      expect(sent).toBeLessThanOrEqual(catcher.mailbox.list().length);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await delivering).toMatchObject({ sent: 4, pending: 0 });
    expect(catcher.mailbox.list().map((m) => m.deliveries)).toEqual([1, 1, 1, 1]);
  } finally {
    mailer.close();
    await catcher.close();
  }
});
