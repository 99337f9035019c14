/**
 * A month and a half of convocations on the small test district, played on the real stack by the tests
 * that disturb it (a killed worker, a stopped Postgres, two of everything): a Comitato Ristretto meeting
 * (convocation, an answer, an agenda addendum, the reminder, the minutes request, the late-minutes ladder,
 * approved minutes circulated), a sub-ambito assembly that is rescheduled and whose minutes never arrive
 * (its ladder runs to the end), and the next month's Comitato Ristretto with everyone on time.
 *
 * The worker runs as `npm run worker` does, in its own process (startWorkerProcess), against the offline
 * Temporal server with time skipping; the story only moves virtual time and acts as people do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { simpleParser } from 'mailparser';
import type { Mailbox } from '../../notifications/catcher/mailbox';
import { DEFAULT_RULES } from '../../domain/index';
import type { Prisma, PrismaClient } from '../../prisma/client';
import { signalMeeting, type GovernanceClient } from '../../workflows/client';
import { freePort } from '../../prisma/free-port';
import { ROOT, isolatedEnv, startService, type Service } from '../support/service';
import { createDistrict, createMeeting, VIRTUAL_START, type District } from './fixture';

const TEST_SERVER = join(ROOT, 'tools/temporal-server/bin/test-server');
const TSX_LOADER = `file://${join(ROOT, 'node_modules/tsx/dist/loader.mjs')}`;
export const MAIL_FROM = 'Ufficio di Piano <ufficio.piano@example.org>';

/** The offline Temporal server with time skipping, started for the story. */
export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: TEST_SERVER },
      extraArgs: ['--start-at', VIRTUAL_START],
    },
  });
}

/** `npm run api` as a child process on a free port, with the story's environment and Temporal server. */
export async function startApiProcess(
  env: Record<string, string>,
  temporalAddress: string,
): Promise<Service> {
  return startService(
    isolatedEnv({
      ...env,
      TEMPORAL_ADDRESS: temporalAddress,
      PORT: String(await freePort()),
      SEED_ON_START: 'false',
    }),
    ['run', 'api'],
  );
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
}

/**
 * `npm run worker` as a child process, ready once it says it polls. Without `reconcile` it leaves healing
 * to others (`--no-reconcile`); with it, its reconciler runs at once, as in production.
 */
export function startWorkerProcess(
  address: string,
  env: Record<string, string>,
  options: { reconcile?: boolean } = {},
): Promise<WorkerProcess> {
  const args = ['--import', TSX_LOADER, join(ROOT, 'worker/main.ts'), '--address', address];
  if (!options.reconcile) args.push('--no-reconcile');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Worker Temporal attivo')) resolve({ child, output: () => output });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited before it was ready (${code ?? signal}):\n${output}`)),
    );
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The environment every process of a story shares (database, relay, queue, secret), quiet. */
export function storyEnv(options: {
  databaseUrl: string;
  smtpUrl: string;
  taskQueue: string;
  dataDir: string;
}): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    SMTP_URL: options.smtpUrl,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    DATA_DIR: options.dataDir,
    MAIL_FROM,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    ANSWER_LINK_SECRET: 'story-test-secret-story-test-secret-0123',
    LOG_LEVEL: 'silent',
    TEMPORAL_TIME_SKIPPING: 'true',
  };
}

export interface Story {
  district: District;
  /** The three meetings: March's Comitato Ristretto, the sub-ambito assembly, April's Comitato Ristretto. */
  meetings: { cr: string; sa: string; crApril: string };
}

/** The district and the story's three meetings, in the database (no workflow started). */
export async function prepareStory(prisma: Prisma.TransactionClient): Promise<Story> {
  const district = await createDistrict(prisma);
  const sub = await prisma.subAmbito.findFirstOrThrow({ where: { number: 1 } });
  const sindaco3 = await prisma.person.create({
    data: { fullName: 'Sindaco Tre', email: 'sindaco3@example.org' },
  });
  const assembly = await prisma.body.create({
    data: {
      ambitoId: district.ambitoId,
      code: 'assemblea-sub-ambito-1',
      kind: 'assemblea_sub_ambito',
      name: 'Assemblea del Sub-ambito 1',
      convenerRole: 'Sindaco del Comune Capofila 1',
      subAmbitoId: sub.id,
      rules: DEFAULT_RULES.assemblea_sub_ambito,
    },
  });
  for (const [code, personId] of [
    ['sindaco-capofila', district.people.sindaco1!],
    ['sindaco-comune-3', sindaco3.id],
  ] as const) {
    const seat = await prisma.seat.create({
      data: { bodyId: assembly.id, code, role: code, designatedBy: 'test' },
    });
    await prisma.membership.create({
      data: { seatId: seat.id, personId, validFrom: new Date('2020-01-01T00:00:00Z') },
    });
  }
  const meeting = (bodyId: string, day: string, title: string) => createMeeting(prisma, bodyId, day, [title]);
  const cr = await meeting(district.bodies.cr, '2027-03-09', 'Piano Operativo 2028: linee di indirizzo');
  const sa = await meeting(assembly.id, '2027-03-11', 'Servizi domiciliari del sub-ambito');
  // April's Comitato Ristretto runs on time after the March disturbances.
  const crApril = await meeting(district.bodies.cr, '2027-04-13', 'Report annuale 2026: esame');
  return { district, meetings: { cr: cr.id, sa: sa.id, crApril: crApril.id } };
}

export interface PlayOptions {
  prisma: PrismaClient;
  gc: GovernanceClient;
  env: TestWorkflowEnvironment;
  /**
   * Sindaco 1's answer to March's Comitato Ristretto on 4 March; by default written as the answer page
   * would (stored, then signalled). A test that answers through a real API process replaces it.
   */
  answer?: () => Promise<void>;
  /** After each day's noon and the people's work of that day (the disturbances go here). */
  afterDay?: (day: string) => Promise<void>;
}

/** Day by day from 1 March to 19 April 2027 (virtual time), noon each day, with the people's actions. */
export async function playStory(story: Story, options: PlayOptions): Promise<void> {
  const { prisma, gc, env } = options;
  const { cr, sa, crApril } = story.meetings;
  const sindaco1 = story.district.people.sindaco1!;
  const virtualNow = async () => new Date(await env.currentTimeMs());
  const answer =
    options.answer ??
    (async () => {
      await prisma.invitation.update({
        where: { meetingId_personId: { meetingId: cr, personId: sindaco1 } },
        data: { answer: 'present', answeredAt: await virtualNow() },
      });
      await signalMeeting(gc, cr, 'answer', { personId: sindaco1, answer: 'present' });
    });
  const approveMinutes = async (meetingId: string) => {
    const now = await virtualNow();
    await prisma.verbale.update({
      where: { meetingId },
      data: { submittedAt: now, approvedAt: now, status: 'approved' },
    });
    await signalMeeting(gc, meetingId, 'minutesSubmitted');
    await signalMeeting(gc, meetingId, 'minutesApproved');
  };
  const skipToNoon = async (day: string) => {
    const ms = Date.parse(`${day}T11:00:00Z`) - (await env.currentTimeMs());
    if (ms > 0) await env.sleep(ms);
  };

  for (let t = Date.parse('2027-03-01'); t <= Date.parse('2027-04-19'); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    await skipToNoon(day);
    if (day === '2027-03-04') {
      await answer();
      await signalMeeting(gc, cr, 'agendaAddendum', { items: [{ title: 'Report annuale 2026' }] });
    }
    if (day === '2027-03-05') {
      await signalMeeting(gc, sa, 'reschedule', {
        startsAt: '2027-03-12T18:00:00+01:00',
        endsAt: '2027-03-12T20:00:00+01:00',
      });
    }
    if (day === '2027-03-26') await approveMinutes(cr);
    if (day === '2027-04-15') await approveMinutes(crApril);
    await options.afterDay?.(day);
  }
}

/** Database ids in outbox keys replaced by natural names (body@day, e-mail), so two runs compare. */
export async function naturalNames(prisma: PrismaClient): Promise<(key: string) => string> {
  const names = new Map<string, string>();
  for (const m of await prisma.meeting.findMany({ include: { body: true } }))
    names.set(m.id, `${m.body.code}@${m.plannedDateKey}`);
  for (const p of await prisma.person.findMany()) names.set(p.id, p.email);
  return (key) => key.replace(/[0-9a-f-]{36}/g, (id) => names.get(id) ?? '?');
}

/** The kinds of message every complete run of the story sends. */
export const STORY_KINDS = [
  'convocation',
  'addendum',
  'reminder',
  'minutes-request',
  'minutes-step',
  'minutes',
] as const;

/**
 * A person answers «presente» from the link in their convocation to a meeting, on the answer page of the
 * API process at `apiUrl`, as a mail client's browser would post the form; resolves to the page's status.
 */
export async function answerFromConvocation(options: {
  apiUrl: string;
  prisma: PrismaClient;
  mailbox: Pick<Mailbox, 'list' | 'source'>;
  meetingId: string;
  personId: string;
}): Promise<number> {
  const row = await options.prisma.outboxMessage.findFirstOrThrow({
    where: { idempotencyKey: { startsWith: `convocation:${options.meetingId}:${options.personId}:` } },
  });
  const caught = options.mailbox.list().find((m) => m.messageId === row.messageId);
  if (!caught) throw new Error(`convocation ${row.idempotencyKey} not in the mailbox`);
  const text = (await simpleParser(options.mailbox.source(caught.id)!)).text ?? '';
  const path = /\/risposta\/[A-Za-z0-9_-]+/.exec(text)?.[0];
  if (!path) throw new Error(`no answer link in ${row.idempotencyKey}`);
  const answered = await fetch(`${options.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'scelta=presente',
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  return answered.status;
}
