import { spawn } from 'node:child_process';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { icsLines } from '../calendar';
import { startMailCatcher, type MailCatcher } from '../catcher/server';
import { SAMPLES } from '../testing/samples';
import { createMailer, type Mailer } from '../transport';
import { createOutbox, type Outbox } from './outbox';
import type { NotificationRequest } from './request';

const FROM = 'Ufficio di Piano <udp@crema.example.org>';
let db: TestDatabase;
let catcher: MailCatcher;
let mailer: Mailer;

beforeAll(async () => {
  db = await createTestDatabase();
  catcher = await startMailCatcher();
  mailer = createMailer({ smtpUrl: catcher.url });
});
afterAll(async () => {
  mailer?.close();
  await catcher?.close();
  await db?.cleanup();
});

/** A clock the test moves, so retries and leases need no real waiting. */
function clock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** An outbox (two connections, a clock the test moves) whose SMTP server is down: a catcher's port, closed. */
async function outboxWithServerDown() {
  const down = await startMailCatcher();
  const port = down.port;
  await down.close();
  const time = clock();
  const localMailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
  const outbox = createOutbox({
    db: db.prisma,
    mailer: localMailer,
    from: FROM,
    now: time.now,
    concurrency: 2,
  });
  return { port, time, localMailer, outbox };
}

/** An SMTP server that keeps every message waiting for its reply to DATA until `release` is called. */
async function heldRelay() {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => void held.then(() => callback(null, 'Ok')));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const heldMailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`,
  });
  return {
    mailer: heldMailer,
    release: () => release(),
    async close() {
      release();
      heldMailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Enqueues `request` and starts delivering it through `outbox`, until its row is claimed (`sending`). */
async function claimedBy(outbox: Outbox, request: NotificationRequest) {
  await outbox.enqueue([request]);
  const delivering = outbox.deliver({ keys: [request.key] });
  const stored = () => db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: request.key } });
  await expect.poll(async () => (await stored()).status).toBe('sending');
  return { delivering, stored };
}

function received(to: string) {
  return catcher.mailbox.list().filter((m) => m.to.includes(to));
}

async function parsed(to: string) {
  const [message] = received(to);
  expect(message, `a message for ${to}`).toBeDefined();
  return simpleParser(catcher.mailbox.source(message!.id)!);
}

function convocation(
  key: string,
  email: string,
  extra: Partial<NotificationRequest> = {},
): NotificationRequest {
  return {
    key,
    kind: 'convocation',
    data: SAMPLES.convocation,
    to: { name: 'Sindaco', email },
    invite: { method: 'REQUEST', meetingId: 'm-1', revision: 0 },
    ...extra,
  };
}

describe('outbox', () => {
  it('enqueue is idempotent on the key, and each message goes out once with a Message-ID derived from the key', async () => {
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM });
    const requests = [1, 2, 3].map((i) => convocation(`convocation:m-1:p${i}:0`, `a${i}@idem.example.org`));
    expect(await outbox.enqueue(requests)).toEqual({ created: 3, existing: 0, refused: [] });
    expect(await outbox.enqueue(requests)).toEqual({ created: 0, existing: 3, refused: [] });
    const first = await outbox.deliver({ keys: requests.map((r) => r.key) });
    const second = await outbox.deliver({ keys: requests.map((r) => r.key) });
    expect(first).toMatchObject({ sent: 3, failed: 0, retrying: 0, pending: 0, nextAttemptAt: null });
    expect(second.sent).toBe(0);

    const rows = await db.prisma.outboxMessage.findMany({
      where: { idempotencyKey: { in: requests.map((r) => r.key) } },
    });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    for (const row of rows) {
      expect(row.providerMessageId).toMatch(/^250 .*queued as/);
      expect(received(row.recipientEmail)).toHaveLength(1);
      expect(received(row.recipientEmail)[0]!.messageId).toBe(row.messageId);
      expect(received(row.recipientEmail)[0]!.deliveries).toBe(1);
    }
    const mail = await parsed('a1@idem.example.org');
    expect(mail.subject).toContain('Convocazione Comitato Ristretto');
    const ics = icsLines(mail.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString());
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics.find((l) => l.startsWith('ORGANIZER'))).toBe(
      'ORGANIZER;CN="Ufficio di Piano":mailto:udp@crema.example.org',
    );
  });

  it('send: the fan-out stores every message once and delivers each once, even when repeated', async () => {
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM });
    const requests = [1, 2, 3, 4, 5].map((i) =>
      convocation(`convocation:m-8:p${i}:0`, `f${i}@fanout.example.org`),
    );
    await outbox.enqueue(requests.slice(0, 1)); // one row exists already, as after an interrupted attempt
    const first = await outbox.send(requests);
    expect(first.enqueued).toEqual({ created: 4, existing: 1, refused: [] });
    expect(first.delivery).toMatchObject({ sent: 5, failed: 0, pending: 0, nextAttemptAt: null });
    const again = await outbox.send(requests);
    expect(again.enqueued).toMatchObject({ created: 0, existing: 5 });
    expect(again.delivery).toMatchObject({ sent: 0, pending: 0 });
    for (const request of requests) expect(received(request.to.email)).toHaveLength(1);
  });

  it('send from two outboxes at once (two processes sending the same fan-out): each message goes out once, stored as it was sent', async () => {
    const requests = Array.from({ length: 40 }, (_, i) =>
      convocation(`convocation:m-race:p${i}:0`, `r${i}@race.example.org`),
    );
    const otherMailer = createMailer({ smtpUrl: catcher.url });
    try {
      const [a, b] = await Promise.all([
        createOutbox({ db: db.prisma, mailer, from: FROM }).send(requests),
        createOutbox({ db: db.prisma, mailer: otherMailer, from: FROM }).send(requests),
      ]);
      expect(a.enqueued.created + b.enqueued.created).toBe(40);
      expect(a.enqueued.existing + b.enqueued.existing).toBe(40);
      expect(a.delivery.sent + b.delivery.sent).toBe(40);
    } finally {
      otherMailer.close();
    }
    const rows = await db.prisma.outboxMessage.findMany({
      where: { idempotencyKey: { startsWith: 'convocation:m-race:' } },
    });
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
      const [copy, ...more] = received(row.recipientEmail);
      expect(more).toHaveLength(0);
      expect(copy!.deliveries).toBe(1);
      expect(copy!.messageId).toBe(row.messageId);
      // What went out is what the row holds (the sender used its own copy, not the row read back).
      const mail = await simpleParser(catcher.mailbox.source(copy!.id)!);
      expect(mail.subject).toBe(row.subject);
      expect(mail.text?.trim()).toBe(row.textBody.trim());
      expect(mail.date?.getTime()).toBe(Math.floor(row.createdAt.getTime() / 1000) * 1000);
      const invite = mail.attachments.find((x) => x.contentType === 'text/calendar')!.content.toString();
      expect(icsLines(invite)).toEqual(icsLines(row.ics!));
    }
  });

  it('send while the SMTP server is down: nothing is lost, the whole fan-out waits and goes out once later', async () => {
    const { port, time, localMailer, outbox } = await outboxWithServerDown();
    const requests = Array.from({ length: 30 }, (_, i) =>
      convocation(`convocation:m-sdown:p${i}:0`, `s${i}@sdown.example.org`),
    );
    const keys = requests.map((r) => r.key);
    const whileDown = await outbox.send(requests);
    expect(whileDown.enqueued).toEqual({ created: 30, existing: 0, refused: [] });
    expect(whileDown.delivery).toMatchObject({ sent: 0, failed: 0, retrying: 30, pending: 30 });
    const waiting = await db.prisma.outboxMessage.findMany({ where: { idempotencyKey: { in: keys } } });
    expect(waiting.every((r) => r.status === 'queued' && r.nextAttemptAt > time.now())).toBe(true);
    // One connection attempt per parallel sender at most; the rest waits without an attempt counted.
    expect(waiting.filter((r) => r.attempts === 1).length).toBeLessThanOrEqual(2);
    expect(waiting.filter((r) => r.attempts === 0).length).toBeGreaterThanOrEqual(28);

    const back = await startMailCatcher({ port });
    try {
      time.advance(31_000);
      expect(await outbox.deliver({ keys })).toMatchObject({ sent: 30, pending: 0 });
      expect(back.mailbox.list().map((m) => m.deliveries)).toEqual(keys.map(() => 1));
    } finally {
      localMailer.close(); // before the server, which waits for its clients to leave
      await back.close();
    }
  });

  it('a reschedule keeps the UID and raises SEQUENCE; a cancellation sends METHOD:CANCEL', async () => {
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM });
    const to = 'sindaco@reschedule.example.org';
    await outbox.enqueue([
      convocation('convocation:m-2:p:0', to, {
        invite: { method: 'REQUEST', meetingId: 'm-2', revision: 0 },
      }),
    ]);
    await outbox.enqueue([
      {
        key: 'reschedule:m-2:p:1',
        kind: 'reschedule',
        data: SAMPLES.reschedule,
        to: { name: 'Sindaco', email: to },
        invite: { method: 'REQUEST', meetingId: 'm-2', revision: 1 },
      },
      {
        key: 'cancellation:m-2:p:2',
        kind: 'cancellation',
        data: SAMPLES.cancellation,
        to: { name: 'Sindaco', email: to },
        invite: { method: 'CANCEL', meetingId: 'm-2', revision: 2 },
      },
    ]);
    expect(
      (await outbox.deliver({ keys: ['convocation:m-2:p:0', 'reschedule:m-2:p:1', 'cancellation:m-2:p:2'] }))
        .sent,
    ).toBe(3);
    const invites = await Promise.all(
      received(to).map(async (m) => {
        const mail = await simpleParser(catcher.mailbox.source(m.id)!);
        return {
          subject: mail.subject!,
          ics: icsLines(mail.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString()),
        };
      }),
    );
    const byKind = (word: string) => invites.find((i) => i.subject.startsWith(word))!.ics;
    const uid = byKind('Convocazione').find((l) => l.startsWith('UID:'));
    expect(uid).toBe('UID:meeting-m-2@crema.example.org');
    expect(byKind('Seduta spostata').find((l) => l.startsWith('UID:'))).toBe(uid);
    expect(byKind('Seduta spostata')).toContain('SEQUENCE:1');
    expect(byKind('Seduta spostata')).toContain('DTSTART;TZID=Europe/Rome:20270316T180000');
    expect(byKind('Convocazione')).toContain('SEQUENCE:0');
    expect(byKind('Seduta annullata')).toEqual(
      expect.arrayContaining(['METHOD:CANCEL', 'STATUS:CANCELLED', 'SEQUENCE:2', uid]),
    );
  });

  it('SMTP down: messages wait with backoff and go out once the server is back', async () => {
    const { port, time, localMailer, outbox } = await outboxWithServerDown();
    const requests = Array.from({ length: 8 }, (_, i) =>
      convocation(`convocation:m-3:p${i}:0`, `d${i}@down.example.org`),
    );
    await outbox.enqueue(requests);
    const keys = requests.map((r) => r.key);

    const whileDown = await outbox.deliver({ keys });
    expect(whileDown).toMatchObject({ sent: 0, failed: 0, retrying: 8, pending: 8 });
    const waiting = await db.prisma.outboxMessage.findMany({ where: { idempotencyKey: { in: keys } } });
    expect(waiting.every((r) => r.status === 'queued' && r.nextAttemptAt > time.now())).toBe(true);
    // At most one connection attempt per parallel sender: the rest of the round waited instead of hammering.
    const attempted = waiting.filter((r) => r.attempts === 1);
    expect(attempted.length).toBeGreaterThanOrEqual(1);
    expect(attempted.length).toBeLessThanOrEqual(2);
    expect(waiting.filter((r) => r.attempts === 0)).toHaveLength(8 - attempted.length);
    expect(attempted[0]!.lastError).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
    // Not due yet: nothing attempted, but all 8 still reported pending with their retry time.
    const early = await outbox.deliver({ keys });
    expect(early).toMatchObject({ sent: 0, retrying: 0, pending: 8 });
    expect(new Date(early.nextAttemptAt!).getTime()).toBeGreaterThan(time.now().getTime());

    const back = await startMailCatcher({ port });
    try {
      time.advance(31_000);
      expect(await outbox.deliver({ keys })).toMatchObject({ sent: 8, pending: 0, nextAttemptAt: null });
      expect(back.mailbox.list()).toHaveLength(8);
    } finally {
      localMailer.close();
      await back.close();
    }
  });

  it('a 4xx for one recipient is retried with backoff while the rest of the round goes out', async () => {
    let refusals = 0;
    const greylisting = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('grey@') && refusals++ === 0) {
          return callback(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
        }
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(null, 'Ok'));
      },
    });
    await new Promise<void>((resolve) => greylisting.listen(0, '127.0.0.1', resolve));
    const port = (greylisting.server.address() as { port: number }).port;
    const greyMailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    try {
      const time = clock();
      const outbox = createOutbox({
        db: db.prisma,
        mailer: greyMailer,
        from: FROM,
        now: time.now,
        concurrency: 1,
      });
      const requests = ['grey', 'a', 'b'].map((name) =>
        convocation(`convocation:m-7:${name}:0`, `${name}@grey.example.org`),
      );
      await outbox.enqueue(requests);
      const keys = requests.map((r) => r.key);
      expect(await outbox.deliver({ keys })).toMatchObject({ sent: 2, retrying: 1, failed: 0, pending: 1 });
      const grey = await db.prisma.outboxMessage.findUniqueOrThrow({
        where: { idempotencyKey: 'convocation:m-7:grey:0' },
      });
      expect(grey).toMatchObject({ status: 'queued', attempts: 1 });
      expect(grey.lastError).toMatch(/451/);
      expect(grey.nextAttemptAt.getTime() - time.now().getTime()).toBe(30_000);
      time.advance(30_000);
      expect(await outbox.deliver({ keys })).toMatchObject({ sent: 1, pending: 0 });
    } finally {
      greyMailer.close();
      await new Promise<void>((resolve) => greylisting.close(() => resolve()));
    }
  });

  it('a sender whose clock lags (an activity attempt that waited in the queue) holds its rows for a full lease', async () => {
    // The SMTP server keeps the first message waiting, so the late sender is mid-send when a second drainer
    // on the real clock comes by: that drainer must find nothing to take.
    const relay = await heldRelay();
    try {
      const hourAgo = clock(Date.now() - 3_600_000);
      const late = createOutbox({ db: db.prisma, mailer: relay.mailer, from: FROM, now: hourAgo.now });
      const other = createOutbox({ db: db.prisma, mailer, from: FROM });
      const request = convocation('convocation:m-lag:p:0', 'lag@lag.example.org');
      await late.enqueue([request]);
      const sending = late.deliver({ keys: [request.key] });
      await expect
        .poll(
          async () =>
            (
              await db.prisma.outboxMessage.findUniqueOrThrow({
                where: { idempotencyKey: request.key },
              })
            ).status,
        )
        .toBe('sending');
      const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: request.key } });
      expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(Date.now() + 4 * 60_000);
      expect(await other.deliver({ keys: [request.key] })).toMatchObject({ sent: 0, pending: 1 });
      relay.release();
      expect(await sending).toMatchObject({ sent: 1, pending: 0 });
      expect(received('lag@lag.example.org')).toHaveLength(0); // only the slow server got it, once
    } finally {
      await relay.close();
    }
  });

  it('a sender whose clock lies far in the past (virtual time behind the real date) takes over a row whose lease has really expired', async () => {
    // The first sender is stuck inside its SMTP transaction (the server never answers DATA), as a process
    // that died there would be. Its lease was taken on the real clock, the later of the two: once real time
    // has passed it, a drainer on the same lagging clock must take the row over.
    const relay = await heldRelay();
    try {
      const longAgo = clock(Date.parse('2020-01-01T00:00:00Z'));
      const leaseMs = 300;
      const first = createOutbox({
        db: db.prisma,
        mailer: relay.mailer,
        from: FROM,
        now: longAgo.now,
        leaseMs,
      });
      const request = convocation('convocation:m-past:p:0', 'past@past.example.org');
      const { delivering: interrupted, stored } = await claimedBy(first, request);
      const lease = (await stored()).nextAttemptAt.getTime();
      while (Date.now() <= lease) await new Promise((r) => setTimeout(r, lease - Date.now() + 10));

      const restarted = createOutbox({ db: db.prisma, mailer, from: FROM, now: longAgo.now, leaseMs });
      expect(await restarted.deliver({ keys: [request.key] })).toMatchObject({
        sent: 1,
        resumed: 1,
        pending: 0,
      });
      expect(received('past@past.example.org')).toHaveLength(1);
      expect(await stored()).toMatchObject({ status: 'sent', attempts: 2 });
      relay.release();
      await interrupted;
      expect(received('past@past.example.org')).toHaveLength(1);
    } finally {
      await relay.close();
    }
  });

  it('on a virtual clock (time skipping) a lease lasts five virtual minutes, and a drainer on the real clock still leaves the row alone', async () => {
    // Virtual time months behind the real date, as in the workflow tests once the real date has passed
    // their story: the first sender is stuck in its SMTP transaction (a worker killed there).
    const relay = await heldRelay();
    try {
      const virtual = clock(Date.parse('2020-01-01T00:00:00Z'));
      const on = (mailerOf: Mailer) =>
        createOutbox({ db: db.prisma, mailer: mailerOf, from: FROM, now: virtual.now, virtualTime: true });
      const request = convocation('convocation:m-virtual:p:0', 'virtual@virtual.example.org');
      const { delivering: interrupted } = await claimedBy(on(relay.mailer), request);

      // The outbox pump, on the real clock: the row was claimed a moment ago.
      const pump = createOutbox({ db: db.prisma, mailer, from: FROM });
      expect(await pump.deliver({ keys: [request.key] })).toMatchObject({ sent: 0, pending: 1 });
      // Within the lease on the virtual clock, nothing; past it, the row is taken over at once.
      virtual.advance(4 * 60_000);
      expect(await on(mailer).deliver({ keys: [request.key] })).toMatchObject({ sent: 0, pending: 1 });
      virtual.advance(60_000 + 1);
      expect(await on(mailer).deliver({ keys: [request.key] })).toMatchObject({
        sent: 1,
        resumed: 1,
        pending: 0,
      });
      expect(received('virtual@virtual.example.org')).toHaveLength(1);
      relay.release();
      await interrupted;
      expect(received('virtual@virtual.example.org')).toHaveLength(1);
    } finally {
      await relay.close();
    }
  });

  it('a 550 fails at once, is not retried and is listed for the coordinator; the rest of the fan-out goes out', async () => {
    const time = clock();
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM, now: time.now });
    const requests = [
      convocation('convocation:m-4:ok:0', 'ok@reject.example.org'),
      convocation('convocation:m-4:gone:0', 'ex.sindaco@comune.invalid'),
    ];
    await outbox.enqueue(requests);
    expect(await outbox.deliver({ keys: requests.map((r) => r.key) })).toMatchObject({
      sent: 1,
      failed: 1,
      retrying: 0,
    });
    time.advance(24 * 3_600_000);
    expect(await outbox.deliver({ keys: requests.map((r) => r.key) })).toMatchObject({ sent: 0, failed: 0 });
    const failed = await outbox.listFailed({ keyPrefix: 'convocation:m-4:' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ recipientEmail: 'ex.sindaco@comune.invalid', attempts: 1 });
    expect(failed[0]!.lastError).toMatch(/550/);
    expect(received('ok@reject.example.org')).toHaveLength(1);
  });

  it('bad address, 20 MB attachment, <script> in the agenda: each has a clear outcome and nothing else is affected', async () => {
    const outbox = createOutbox({ db: db.prisma, mailer, from: FROM });
    const twentyMb = Buffer.alloc(20 * 1024 * 1024, 1).toString('base64');
    const requests: NotificationRequest[] = [
      convocation('convocation:m-5:bad:0', 'non è un indirizzo'),
      convocation('convocation:m-5:big:0', 'big@edge.example.org', {
        attachments: [{ filename: 'verbale.pdf', contentType: 'application/pdf', contentBase64: twentyMb }],
      }),
      convocation('convocation:m-5:script:0', 'script@edge.example.org', {
        data: {
          ...SAMPLES.convocation,
          agenda: [{ title: '<script>alert("x")</script>Bilancio', documents: [] }],
        },
      }),
      convocation('convocation:m-5:fine:0', 'fine@edge.example.org'),
    ];
    const enqueued = await outbox.enqueue(requests);
    expect(enqueued.created).toBe(4);
    expect(enqueued.refused).toEqual([
      { key: 'convocation:m-5:bad:0', reason: expect.stringMatching(/^Indirizzo non valido/) },
      { key: 'convocation:m-5:big:0', reason: expect.stringMatching(/^Allegato troppo grande: 20\.0 MB/) },
    ]);
    expect(await outbox.deliver({ keys: requests.map((r) => r.key) })).toMatchObject({ sent: 2, failed: 0 });
    const html = String((await parsed('script@edge.example.org')).html);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;Bilancio');
    expect(received('fine@edge.example.org')).toHaveLength(1);
    expect(received('big@edge.example.org')).toHaveLength(0);
    expect(
      (await outbox.listFailed({ keyPrefix: 'convocation:m-5:' })).map((f) => f.idempotencyKey).sort(),
    ).toEqual(['convocation:m-5:bad:0', 'convocation:m-5:big:0']);
    // Malformed template data is a programming error: refused before anything is stored.
    await expect(
      outbox.enqueue([
        { ...convocation('convocation:m-5:broken:0', 'x@edge.example.org'), data: { district: 'X' } },
      ]),
    ).rejects.toThrow(/convocation:m-5:broken:0/);
    expect(
      await db.prisma.outboxMessage.count({ where: { idempotencyKey: 'convocation:m-5:broken:0' } }),
    ).toBe(0);
  });

  it('PEC recipients leave through the PEC transport; without one the message is refused, visibly', async () => {
    const pec = await startMailCatcher();
    const withPec = createMailer({ smtpUrl: catcher.url, pecSmtpUrl: pec.url });
    try {
      const outbox = createOutbox({ db: db.prisma, mailer: withPec, from: FROM });
      const requests = [
        convocation('convocation:m-6:pec:0', 'protocollo@pec.comune.example.org', { channel: 'pec' }),
        convocation('convocation:m-6:mail:0', 'sindaco@mail.comune.example.org'),
      ];
      await outbox.enqueue(requests);
      expect(await outbox.deliver({ keys: requests.map((r) => r.key) })).toMatchObject({ sent: 2 });
      expect(pec.mailbox.list().map((m) => m.to)).toEqual([['protocollo@pec.comune.example.org']]);
      expect(received('protocollo@pec.comune.example.org')).toHaveLength(0);
      expect(received('sindaco@mail.comune.example.org')).toHaveLength(1);

      const noPec = createOutbox({ db: db.prisma, mailer, from: FROM });
      const refused = await noPec.enqueue([
        convocation('convocation:m-6:nopec:0', 'altro@pec.comune.example.org', { channel: 'pec' }),
      ]);
      expect(refused.refused).toEqual([
        { key: 'convocation:m-6:nopec:0', reason: expect.stringMatching(/^PEC non configurata/) },
      ]);
    } finally {
      withPec.close();
      await pec.close();
    }
  });

  it.each(['deliver', 'send'])(
    'a process killed with SIGKILL mid fan-out (%s): after the restart every recipient has exactly one copy',
    async (way) => {
      const count = 60;
      // A relay that takes 15 ms to answer, so the kill lands while messages are in flight.
      const slow = await startMailCatcher({ replyDelayMs: 15 });
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('../testing/fanout-child.ts', import.meta.url)),
          db.url,
          slow.url,
          String(count),
          way,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on('exit', (code, signal) => resolve(signal ?? code)),
      );
      const deadline = Date.now() + 30_000;
      while (slow.mailbox.list().length < count / 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      expect(await exited, stderr).toBe('SIGKILL');

      const before = await db.prisma.outboxMessage.groupBy({
        by: ['status'],
        where: { idempotencyKey: { startsWith: `convocation:crash-${way}:` } },
        _count: true,
      });
      const statuses = Object.fromEntries(before.map((g) => [g.status, g._count]));
      expect(statuses.sent ?? 0).toBeLessThan(count); // it really died in the middle
      expect(statuses.sending ?? 0).toBeGreaterThan(0); // claimed, not confirmed: the in-doubt rows

      // The restart: a new process (here the test's own) drains once the dead process's lease has expired.
      const restartMailer = createMailer({ smtpUrl: slow.url });
      try {
        const outbox = createOutbox({
          db: db.prisma,
          mailer: restartMailer,
          from: FROM,
          now: () => new Date(Date.now() + 5 * 60_000 + 1_000),
        });
        const after = await outbox.deliver();
        expect(after.failed).toBe(0);
        // At most the rows seen as `sending` (a "sent" write already received by Postgres when the process
        // died may still commit after we looked), and at least one: there was something to resume.
        expect(after.resumed).toBeGreaterThan(0);
        expect(after.resumed).toBeLessThanOrEqual(statuses.sending ?? 0);
      } finally {
        restartMailer.close();
      }
      const rows = await db.prisma.outboxMessage.findMany({
        where: { idempotencyKey: { startsWith: `convocation:crash-${way}:` } },
      });
      expect(rows).toHaveLength(count);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      const caught = slow.mailbox.list();
      for (const row of rows) {
        const copies = caught.filter((m) => m.to.includes(row.recipientEmail));
        expect(copies, row.recipientEmail).toHaveLength(1);
        expect(copies[0]!.messageId).toBe(row.messageId);
      }
      // Repeated SMTP deliveries can only come from rows accepted but not yet marked at the kill, and carry
      // the same Message-ID, so the mailbox kept one copy.
      const repeated = caught.filter((m) => m.deliveries > 1).length;
      // At most two unconfirmed messages per pool connection (5): the one in flight and the one being marked.
      expect(repeated).toBeLessThanOrEqual(10);
      console.log(
        `crash test (${way}): ${JSON.stringify(statuses)} at the kill; ${repeated} in-flight message(s) delivered twice, deduplicated by Message-ID`,
      );
      await slow.close();
    },
  );
});
