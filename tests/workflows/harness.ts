/**
 * The real stack for workflow tests: a fresh migrated Postgres database, the offline Temporal server with
 * time skipping (through the SDK's own TestWorkflowEnvironment), a real SMTP server on loopback, and the
 * real worker with the real activities.
 */
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll } from 'vitest';
import type { LogLevel, Worker } from '@temporalio/worker';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from '../../domain/index';
import { createAnswering, type Answering } from '../../notifications/answers/answering';
import { startMailCatcher, type MailCatcher } from '../../notifications/catcher/server';
import { createOutbox } from '../../notifications/outbox/outbox';
import { createMailer, type Mailer } from '../../notifications/transport';
import { createActivities } from '../../activities/index';
import { quietTemporalLogs } from '../../worker/quiet-logs';
import { createGovernanceWorker } from '../../worker/worker';
import { signalMeeting, type GovernanceClient } from '../../workflows/client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createDistrict, VIRTUAL_START, type District } from './fixture';

const TEST_SERVER = fileURLToPath(new URL('../../tools/temporal-server/bin/test-server', import.meta.url));

/** The answer-link secret of the stack's activities (answer links they issue verify with it). */
export const ANSWER_LINK_SECRET = 'test-secret-test-secret-test-secret-123';
const PUBLIC_BASE_URL = 'http://localhost:3000';
const MAIL_FROM = 'Ufficio di Piano <ufficio.piano@example.org>';

export interface Stack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  catcher: MailCatcher;
  mailer: Mailer;
  answering: Answering;
  gc: GovernanceClient;
  holidays: HolidayCalendar;
  newWorker(): Promise<Worker>;
  /** Starts a worker that runs until close(): for tests that need one worker throughout. */
  runWorker(): Promise<void>;
  /** Skips virtual time to just after `iso` (a minute later, so what was due at `iso` has happened). */
  skipPast(iso: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(taskQueue: string): Promise<Stack> {
  // Failing activities are what several tests provoke: their WARN lines would only bury a real failure.
  // TEMPORAL_LOG_LEVEL=INFO brings the worker's logs back when a test needs looking into.
  quietTemporalLogs((process.env.TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'ERROR');
  const [db, catcher, env] = await Promise.all([
    createTestDatabase(),
    startMailCatcher(),
    TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: { type: 'existing-path', path: TEST_SERVER },
        extraArgs: ['--start-at', VIRTUAL_START],
      },
    }),
  ]);
  const mailer = createMailer({ smtpUrl: catcher.url, maxConnections: 2 });
  const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);
  const activities = createActivities({
    prisma: db.prisma,
    mailer,
    holidays,
    mailFrom: MAIL_FROM,
    publicBaseUrl: PUBLIC_BASE_URL,
    answerLinkSecret: ANSWER_LINK_SECRET,
    timeSkipping: true,
  });
  const gc: GovernanceClient = { client: env.client, taskQueue };
  // Answers as the service records them (Le mie riunioni, the answer page), through the stack's mail, and
  // told to the meeting workflow as npm start does (app/runtime.ts).
  const answering = createAnswering({
    db: db.prisma,
    outbox: createOutbox({ db: db.prisma, mailer, from: MAIL_FROM }),
    secret: ANSWER_LINK_SECRET,
    baseUrl: PUBLIC_BASE_URL,
    onAnswer: ({ meetingId, personId, answer }) =>
      signalMeeting(gc, meetingId, 'answer', { personId, answer }),
  });
  const newWorker = () => createGovernanceWorker({ connection: env.nativeConnection, activities, taskQueue });
  let stopWorker = async () => {};
  return {
    env,
    db,
    catcher,
    mailer,
    answering,
    holidays,
    gc,
    newWorker,
    async runWorker() {
      const worker = await newWorker();
      const running = worker.run();
      stopWorker = async () => {
        worker.shutdown();
        await running;
      };
    },
    async skipPast(iso) {
      const ms = Date.parse(iso) + 60_000 - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    },
    async close() {
      await stopWorker();
      mailer.close();
      await Promise.allSettled([env.teardown(), catcher.close(), db.cleanup()]);
    },
  };
}

export interface DistrictStack {
  stack: Stack;
  district: District;
}

/**
 * For a test file: the stack with its worker running and the fixture district, started before the file's
 * tests (and before its own beforeAll hooks) and closed after them.
 */
export function useDistrictStack(taskQueue: string): DistrictStack {
  const world = {} as DistrictStack;
  beforeAll(async () => {
    world.stack = await startStack(taskQueue);
    world.district = await createDistrict(world.stack.db.prisma);
    await world.stack.runWorker();
  });
  afterAll(() => world.stack?.close());
  return world;
}
