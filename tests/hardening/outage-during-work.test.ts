/**
 * Postgres stopped for 30 seconds in the middle of the story's month of convocations (tests/workflows/story.ts),
 * then started again, under real processes: the worker as `npm run worker` runs it and the API as
 * `npm run api` runs it, each with its outbox pump, on a dedicated embedded Postgres the test can stop, the
 * offline Temporal server with time skipping, and a real SMTP catcher.
 *
 * The database goes down at noon of 8 March, after Sindaco 1 answered through the API's answer page; while it
 * is down virtual time runs on to noon of 10 March, through the Comitato Ristretto's session and the work that
 * follows it, so the worker's activities fail and Temporal retries them. Meanwhile the API answers 503 with
 * the Italian message and /healthz 503, and neither process exits. Afterwards every outbox row is sent, the
 * mailbox holds each Message-ID exactly once, the work due during the outage arrived after it, and the
 * answer given before it is still there. A message queued just after the outage, which no workflow sends,
 * goes out through the outbox pumps of the two processes (every 30 s): the pumps survived too.
 *
 * Then two verbale uploads stream an 8 MB PDF slowly through the API process: during the first Postgres
 * restarts, during the second it stops and stays down until the body has arrived. Each upload is either
 * stored whole or refused with the Italian 503, never half-stored (the tables are checked after).
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE } from '../../api/hardening/database';
import { startMailCatcher } from '../../notifications/catcher/server';
import { createOutbox } from '../../notifications/outbox/outbox';
import { SAMPLES } from '../../notifications/testing/samples';
import { createMailer } from '../../notifications/transport';
import { createPrismaClient } from '../../prisma/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../../prisma/embedded';
import { freePort } from '../../prisma/free-port';
import { applyMigrations } from '../../prisma/migrate';
import { startMeetingWorkflow, type GovernanceClient } from '../../workflows/client';
import { actAs } from '../support/auth';
import { multipartForm } from '../support/multipart';
import type { Service } from '../support/service';
import * as month from '../workflows/story';

const OUTAGE_MS = 30_000;
const TASK_QUEUE = 'outage-test';
const PUMP_CHECK_KEY = 'pump-check:after-outage';

/** A fetch that fails the test instead of waiting forever: a hang is as bad as a 500. */
function fetchBounded(url: string, init: RequestInit = {}) {
  return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
}

/** null while the process runs; its exit code or signal once it has ended. */
const exitOf = (child: ChildProcess) => child.exitCode ?? child.signalCode;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

it('survives a 30 s database outage in the middle of a month of convocations, and verbale uploads across a restart', async () => {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'outage-work-'));
  const port = await freePort();
  const startPostgres = () => startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port, log: () => {} });
  let postgres: RunningPostgres = await startPostgres();
  await applyMigrations(postgres.url(), { log: () => {} });
  const prisma = createPrismaClient(postgres.url());
  const [catcher, env] = await Promise.all([startMailCatcher(), month.startTimeSkippingServer()]);
  const shared = month.storyEnv({
    databaseUrl: postgres.url(),
    smtpUrl: catcher.url,
    taskQueue: TASK_QUEUE,
    dataDir: join(dir, 'data'),
  });
  // Only stores (enqueue); the processes send.
  const pumpCheckMailer = createMailer({ smtpUrl: catcher.url });
  let worker: month.WorkerProcess | undefined;
  let api: Service | undefined;
  try {
    [worker, api] = await Promise.all([
      month.startWorkerProcess(env.address, shared),
      month.startApiProcess(shared, env.address),
    ]);
    const apiUrl = api.url;
    const gc: GovernanceClient = { client: env.client, taskQueue: TASK_QUEUE };
    const story = await month.prepareStory(prisma);
    const { cr } = story.meetings;
    const sindaco1 = story.district.people.sindaco1!;
    for (const id of Object.values(story.meetings)) expect(await startMeetingWorkflow(gc, id)).toBe(true);
    const coordinator = await actAs(prisma, 'coordudp@example.org');

    /** Sindaco 1 answers from the link in their convocation, on the API process's answer page. */
    const answerThroughApi = async () => {
      const status = await month.answerFromConvocation({
        apiUrl,
        prisma,
        mailbox: catcher.mailbox,
        meetingId: cr,
        personId: sindaco1,
      });
      expect(status).toBe(303);
    };

    let restartedAt = 0;
    const during: Record<string, unknown> = {};
    const outage = async () => {
      const stoppedAt = Date.now();
      await postgres.stop();
      // The session of 9 March and the work after it fall in the outage: activities fail and are retried.
      const ms = Date.parse('2027-03-10T11:00:00Z') - (await env.currentTimeMs());
      await env.sleep(ms);
      const health = await fetchBounded(`${apiUrl}/healthz`);
      const bodies = await fetchBounded(`${apiUrl}/api/v1/bodies`, { headers: coordinator });
      const meeting = await fetchBounded(`${apiUrl}/api/v1/meetings/${cr}`, { headers: coordinator });
      during.health = health.status;
      during.bodies = {
        status: bodies.status,
        retryAfter: bodies.headers.get('retry-after'),
        body: await bodies.json(),
      };
      during.meeting = { status: meeting.status, body: await meeting.json() };
      during.processesAlive = [exitOf(worker!.child), exitOf(api!.child)];
      await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
      during.processesAliveAtEnd = [exitOf(worker!.child), exitOf(api!.child)];
      postgres = await startPostgres();
      restartedAt = Date.now();
      await until('API healthy again', async () => (await fetchBounded(`${apiUrl}/healthz`)).status === 200);
      // A message queued now is for the processes' outbox pumps alone (no workflow asks for it): it goes
      // out only if a pump survived the outage.
      await createOutbox({ db: prisma, mailer: pumpCheckMailer, from: month.MAIL_FROM }).enqueue([
        {
          key: PUMP_CHECK_KEY,
          kind: 'cancellation',
          data: SAMPLES.cancellation,
          to: { name: 'Sindaco Capofila 2', email: 'sindaco2@example.org' },
        },
      ]);
    };

    await month.playStory(story, {
      prisma,
      gc,
      env,
      answer: answerThroughApi,
      afterDay: async (day) => (day === '2027-03-08' ? outage() : undefined),
    });

    await until(
      'the pumps send the message queued after the outage',
      async () =>
        (await prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: PUMP_CHECK_KEY } }))
          .status === 'sent',
      45_000,
    );
    expect(during).toEqual({
      health: 503,
      bodies: { status: 503, retryAfter: expect.stringMatching(/^\d+$/), body: DATABASE_UNAVAILABLE },
      meeting: { status: 503, body: DATABASE_UNAVAILABLE },
      processesAlive: [null, null],
      processesAliveAtEnd: [null, null],
    });

    // Every message went out exactly once: all rows sent, the mailbox holds their Message-IDs, one copy each.
    const natural = await month.naturalNames(prisma);
    const rows = await prisma.outboxMessage.findMany();
    const keys = rows.map((r) => natural(r.idempotencyKey));
    for (const kind of month.STORY_KINDS)
      expect(keys.some((k) => k.startsWith(`${kind}:comitato-ristretto@`))).toBe(true);
    expect(rows.filter((r) => r.status !== 'sent').map((r) => natural(r.idempotencyKey))).toEqual([]);
    const caught = catcher.mailbox.list();
    expect(caught.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
    expect(caught.filter((m) => m.deliveries !== 1).map((m) => m.subject)).toEqual([]);
    // The work due during the outage was retried, not dropped: it arrived after Postgres came back.
    const afterRestart = caught.filter((m) => Date.parse(m.receivedAt) >= restartedAt);
    expect(afterRestart.length).toBeGreaterThan(0);
    // The answer given before the outage is there, through the API.
    const meeting = await fetchBounded(`${apiUrl}/api/v1/meetings/${cr}`, { headers: coordinator });
    expect(meeting.status).toBe(200);
    const { invitations } = (
      (await meeting.json()) as { meeting: { invitations: { personId: string; answer: string }[] } }
    ).meeting;
    expect(invitations.find((i) => i.personId === sindaco1)?.answer).toBe('present');
    console.log(
      `outage during work: ${rows.length} messages, ${afterRestart.length} delivered after the restart, ` +
        `0 lost, ${caught.filter((m) => m.deliveries > 1).length} duplicated; ${Math.round((Date.now() - started) / 1000)} s so far`,
    );

    // Verbale uploads across a restart and across an outage.
    const held = await prisma.meeting.create({
      data: {
        bodyId: story.district.bodies.cr,
        plannedDateKey: '2026-11-10',
        startsAt: new Date('2026-11-10T17:00:00Z'),
        endsAt: new Date('2026-11-10T19:00:00Z'),
        status: 'held',
      },
    });
    const upload = (disturb: () => Promise<void>) =>
      streamUpload(`${apiUrl}/api/v1/meetings/${held.id}/minutes`, coordinator, disturb);
    const restarted = await upload(async () => {
      await postgres.stop();
      postgres = await startPostgres();
    });
    const refused = await upload(async () => {
      await postgres.stop();
    });
    postgres = await startPostgres();
    await until('API healthy again', async () => (await fetchBounded(`${apiUrl}/healthz`)).status === 200);
    await until('database answering', async () => (await prisma.$queryRaw`SELECT 1`, true));

    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual(DATABASE_UNAVAILABLE);
    expect([201, 202, 503]).toContain(restarted.status);
    const documents = await prisma.document.findMany({ where: { meetingId: held.id } });
    const verbale = await prisma.verbale.findUnique({ where: { meetingId: held.id } });
    const stored = documents.map((d) => ({
      sha256: d.sha256,
      size: d.sizeBytes,
      contentSha256: createHash('sha256').update(d.content).digest('hex'),
    }));
    if (restarted.status !== 503) {
      // Stored whole: one document with every byte, and the verbale pointing at it.
      expect(stored).toEqual([
        { sha256: restarted.sha256, size: restarted.size, contentSha256: restarted.sha256 },
      ]);
      expect(verbale?.documentId).toBe(documents[0]!.id);
    } else {
      expect(stored).toEqual([]);
      expect(verbale).toBeNull();
    }
    console.log(
      `verbale upload across a Postgres restart: ${restarted.status}; with Postgres down at its end: ${refused.status}; ` +
        `test took ${Math.round((Date.now() - started) / 1000)} s`,
    );
  } finally {
    if (worker) {
      worker.child.kill('SIGTERM');
      await month.exited(worker.child);
    }
    await api?.stop();
    pumpCheckMailer.close();
    await prisma.$disconnect();
    await Promise.allSettled([env.teardown(), catcher.close()]);
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

/**
 * Uploads an 8 MB PDF as multipart, 256 KB every 40 ms; `disturb` runs when half of it has gone out, and
 * the rest follows once it is done. The status, the body, and the SHA-256 and size of the file sent.
 */
async function streamUpload(url: string, headers: Record<string, string>, disturb: () => Promise<void>) {
  const file = Buffer.concat([
    Buffer.from('%PDF-1.7\n'),
    randomBytes(8 * 1024 * 1024),
    Buffer.from('\n%%EOF\n'),
  ]);
  const { payload: body, contentType } = multipartForm([], {
    filename: 'verbale.pdf',
    contentType: 'application/pdf',
    content: file,
  });
  const target = new URL(url);
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': contentType,
          'content-length': String(body.length),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.setTimeout(60_000, () => request.destroy(new Error('upload: no answer within 60 s')));
    void (async () => {
      const chunk = 256 * 1024;
      for (let at = 0, disturbed = false; at < body.length; at += chunk) {
        if (!disturbed && at >= body.length / 2) {
          disturbed = true;
          await disturb();
        }
        if (!request.write(body.subarray(at, at + chunk)))
          await new Promise((resolve) => request.once('drain', resolve));
        await sleep(40);
      }
      request.end();
    })().catch(reject);
  });
  const sha256 = createHash('sha256').update(file).digest('hex');
  return { ...(await response), sha256, size: file.length };
}
