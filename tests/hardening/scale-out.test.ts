/**
 * Two worker processes and two API processes on one database and one Temporal server (the offline one,
 * with time skipping), as production scales out: `npm run worker` twice, each with its reconciler, and
 * `npm run api` twice, all with the same environment (tests/workflows/story.ts), a real SMTP catcher.
 *
 * - Both workers start at the same moment on a database whose meetings, series bodies and ambito have no
 *   workflow yet, so their reconcilers race to start the same workflows: each one is started by exactly
 *   one of them, and the server holds one execution chain per workflow id.
 * - The story's month and a half of convocations then runs on the two workers (plus what the reconcilers
 *   started: the series' own sessions, the year's deliverables, the compliance monitor): every outbox row
 *   is sent, and the mailbox holds each Message-ID exactly once. Sindaco 1 answers on the second API
 *   process's answer page.
 * - A person signs in on the first API process; the session cookie works on the second (CSRF included),
 *   and signing out on the second ends it on the first: no sticky sessions needed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { liveObjectsIn } from '../../activities/live';
import { startMailCatcher } from '../../notifications/catcher/server';
import type { GovernanceClient } from '../../workflows/client';
import { createTestDatabase } from '../support/database';
import { createMeeting } from '../workflows/fixture';
import type { Service } from '../support/service';
import { signInByEmail, visitor } from '../support/sign-in';
import * as month from '../workflows/story';

const TASK_QUEUE = 'scale-out-test';

/** The workflow ids a worker's reconciler says it started ("Riconciliatore: avviati a, b, c"). */
function startedBy(worker: month.WorkerProcess): string[] {
  return [...worker.output().matchAll(/Riconciliatore: avviati (.+)/g)].flatMap((m) => m[1]!.split(', '));
}

it('runs a month on two workers and two API processes: every message once, sessions shared, reconcilers start nothing twice', async () => {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'scale-out-'));
  const [db, catcher, env] = await Promise.all([
    createTestDatabase(),
    startMailCatcher(),
    month.startTimeSkippingServer(),
  ]);
  const prisma = db.prisma;
  const shared = month.storyEnv({
    databaseUrl: db.url,
    smtpUrl: catcher.url,
    taskQueue: TASK_QUEUE,
    dataDir,
  });
  const workers: month.WorkerProcess[] = [];
  const apis: Service[] = [];
  try {
    // Reconcilers every two seconds: the two workers' passes fall on the same wall-clock second.
    const racing = { ...shared, RECONCILE_SCHEDULE: '*/2 * * * * *' };
    const [workerA, workerB, apiA, apiB] = await Promise.all([
      month.startWorkerProcess(env.address, racing, { reconcile: true }),
      month.startWorkerProcess(env.address, racing, { reconcile: true }),
      month.startApiProcess(shared, env.address),
      month.startApiProcess(shared, env.address),
    ]);
    workers.push(workerA, workerB);
    apis.push(apiA, apiB);

    // The district appears in the database with nothing running for it, all at once (one transaction: a
    // pass never sees it half written), and the next passes of both reconcilers, at the same moment, start
    // what it needs. `expected` is read in the same transaction, so it holds none of what the workflows
    // create themselves afterwards (a series' own sessions, started by the series).
    const { story, expected } = await prisma.$transaction(
      async (tx) => {
        const story = await month.prepareStory(tx);
        // And next year's Ufficio di Piano sessions, which only wait for their time: they lengthen each
        // pass, so the two reconcilers' passes overlap.
        for (let n = 0; n < 24; n++) {
          const day = `2028-${String(1 + (n % 12)).padStart(2, '0')}-${n < 12 ? '10' : '24'}`;
          await createMeeting(tx, story.district.bodies.udp, day);
        }
        const live = await liveObjectsIn(tx);
        const expected = [
          ...live.meetings.map((id) => `meeting/${id}`),
          ...live.deliverables.map((id) => `deliverable/${id}`),
          ...live.seriesBodies.map((id) => `series/${id}`),
          ...live.ambiti.flatMap((id) => [`annual/${id}/`, `compliance/${id}`]),
        ];
        return { story, expected };
      },
      { timeout: 30_000 },
    );
    // The annual cycle's id ends with the year the reconciler reads from the clock.
    const starts = () =>
      [...startedBy(workerA), ...startedBy(workerB)].map((id) =>
        id.replace(/^(annual\/[^/]+\/)\d{4}$/, '$1'),
      );
    const deadline = Date.now() + 60_000;
    while (expected.some((id) => !starts().includes(id)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(expected.filter((id) => !starts().includes(id))).toEqual([]);
    const split = [startedBy(workerA).length, startedBy(workerB).length];

    // A session made on one API process works on the other: one browser (one cookie jar) behind a
    // balancer that sends its requests to either.
    const browser = await signInByEmail(apiA.url, catcher.mailbox, 'coordudp@example.org');
    const session = new Map(browser.cookies);
    const me = await browser.request(`${apiB.url}/api/v1/me`, { method: 'GET' });
    expect(me.status).toBe(200);
    const { persona, csrfToken } = (await me.json()) as { persona: { email: string }; csrfToken: string };
    expect(persona.email).toBe('coordudp@example.org');
    // The CSRF token issued by B is accepted by A for a write with the same session.
    browser.csrf = csrfToken;
    const token = await browser.request('/api/v1/tokens', { json: { nome: 'scale-out' } });
    expect(token.status).toBe(201);

    // The story's month on the two workers; Sindaco 1 answers on the second API process.
    const gc: GovernanceClient = { client: env.client, taskQueue: TASK_QUEUE };
    await month.playStory(story, {
      prisma,
      gc,
      env,
      answer: async () =>
        expect(
          await month.answerFromConvocation({
            apiUrl: apiB.url,
            prisma,
            mailbox: catcher.mailbox,
            meetingId: story.meetings.cr,
            personId: story.district.people.sindaco1!,
          }),
        ).toBe(303),
    });

    // No workflow was started by both reconcilers, in any of their passes, and the server holds one
    // execution chain per workflow id.
    const all = starts();
    expect(all.filter((id, i) => all.indexOf(id) !== i)).toEqual([]);
    const firstRuns = new Map<string, number>();
    const activitiesBy = new Map<string, number>();
    for await (const execution of env.client.workflow.list()) {
      const description = await env.client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .describe();
      // A run that continued as new belongs to the same chain: count only the chains' first runs.
      const first = description.raw.workflowExecutionInfo?.firstRunId || execution.runId;
      if (first === execution.runId)
        firstRuns.set(execution.workflowId, (firstRuns.get(execution.workflowId) ?? 0) + 1);
      // Which worker process completed each activity (its identity is pid@host).
      const history = await env.client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .fetchHistory();
      for (const event of history.events ?? []) {
        const identity = event.activityTaskCompletedEventAttributes?.identity;
        if (identity) activitiesBy.set(identity, (activitiesBy.get(identity) ?? 0) + 1);
      }
    }
    expect([...firstRuns].filter(([, count]) => count > 1)).toEqual([]);
    // Both worker processes worked.
    const perWorker = workers.map((w) => activitiesBy.get(`${w.child.pid}@${hostname()}`) ?? 0);
    expect(perWorker.every((count) => count > 0)).toBe(true);

    const rows = await prisma.outboxMessage.findMany();
    const keys = rows.map((r) => r.idempotencyKey);
    for (const kind of month.STORY_KINDS)
      expect(keys.some((k) => k.startsWith(`${kind}:${story.meetings.cr}`))).toBe(true);
    // The series' own sessions were planned in the story's time (the reconcilers read the server's clock), so
    // some were convened during it, whatever the real date.
    const ofSeries = await prisma.meeting.findMany({ where: { seriesId: { not: null } } });
    expect(ofSeries.some((m) => keys.some((k) => k.startsWith(`convocation:${m.id}:`)))).toBe(true);
    expect(rows.filter((r) => r.status !== 'sent').map((r) => r.idempotencyKey)).toEqual([]);
    const caught = catcher.mailbox.list();
    expect(caught.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
    const duplicated = caught.filter((m) => m.deliveries !== 1);
    expect(duplicated.map((m) => m.subject)).toEqual([]);

    // Signing out on B ends the session on A too (the old cookie, kept by someone, no longer works).
    const out = await browser.request(`${apiB.url}/esci`, { form: { _csrf: csrfToken } });
    expect(out.status).toBe(303);
    const stale = visitor(apiA.url);
    for (const [name, value] of session) stale.cookies.set(name, value);
    expect((await stale.request('/api/v1/me', { method: 'GET' })).status).toBe(401);

    expect(workers.map((w) => w.child.exitCode ?? w.child.signalCode)).toEqual([null, null]);
    console.log(
      `scale-out: racing reconcilers started ${split.join(' + ')} workflows, ${all.length} by the end, none twice; ` +
        `${rows.length} messages, 0 lost, ${duplicated.length} duplicated; activities completed per worker ` +
        `${perWorker.join(' + ')}; ` +
        `${Math.round((Date.now() - started) / 1000)} s`,
    );
  } finally {
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => month.exited(w.child)));
    await Promise.all(apis.map((a) => a.stop()));
    await Promise.allSettled([env.teardown(), catcher.close(), db.cleanup()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 300_000);
