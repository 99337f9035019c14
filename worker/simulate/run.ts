/**
 * Simulates a period on the real stack: a fresh embedded Postgres seeded with the Cremasco district (and,
 * for benchmarks, numbered copies of it, each run as its own ambito), the
 * offline Temporal server with time skipping, the real worker and activities, real SMTP (the given server
 * or an embedded catcher). Virtual time advances a day at a time; each morning the simulated people act
 * (see scenario.ts; routine work only on working days), then the day's automatic messages go out.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities/index';
import { iso } from '../../activities/meetings';
import { meetingTimeline } from '../../activities/timeline';
import {
  BodyRules,
  addDays,
  applyRulesChange,
  checkNotice,
  atRome,
  dateOf,
  dayInRome,
  formatInstant,
  type CivilDate,
  type HolidayCalendar,
} from '../../domain/index';
import { startMailCatcher } from '../../notifications/catcher/server';
import { createMailer } from '../../notifications/transport';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { startEmbeddedPostgres } from '../../prisma/embedded';
import { heldOn } from '../../prisma/membership-days';
import { freePort } from '../../prisma/free-port';
import { applyMigrations } from '../../prisma/migrate';
import { seedCremasco } from '../../prisma/seed';
import { AMBITO_CODE } from '../../prisma/seed/keys';
import {
  queryDeliverable,
  signalDeliverable,
  signalMeeting,
  signalRulesChanged,
  startAnnualCycle,
  startComplianceMonitor,
  type GovernanceClient,
} from '../../workflows/client';
import { listLiveObjects } from '../../activities/live';
import { reconcileOnce } from '../reconciler';
import { loadHolidayCalendar } from '../start';
import { createGovernanceWorker, workflowBundle } from '../worker';
import type { Scenario, ScenarioEvent } from './scenario';
import { romeDayRange } from '../../reports/period';
import { writeYearReports } from '../../reports/write-files';
import { quietTemporalLogs } from '../quiet-logs';
import { timeActivities, type ActivityTime } from './timing';

const absence = (justified: boolean) => (justified ? ('absent_justified' as const) : ('absent' as const));

/** The instants of one day in Italy. */
function romeDay(day: CivilDate) {
  return romeDayRange(day, day);
}

const TEST_SERVER = fileURLToPath(new URL('../../tools/temporal-server/bin/test-server', import.meta.url));
const TASK_QUEUE = 'simulation';

export interface SimulationOptions {
  from: CivilDate;
  to: CivilDate;
  /** Real SMTP server to send to; an embedded catcher when absent. */
  smtpUrl?: string;
  scenario?: Scenario;
  /** Districts to simulate together: the Cremasco and copies of it (default 1). Scenarios name the Cremasco's. */
  districts?: number;
  /** Days on which Temporal's state is wiped (before people act) and rebuilt by the reconciler. */
  wipeTemporalOn?: CivilDate[];
  /** Days on which the worker is replaced by a new one (before people act). */
  restartWorkerOn?: CivilDate[];
  log?: (message: string) => void;
  /** Writes the attendance and monitoring reports of the period (CSV, XLSX, PDF) into this folder. */
  reportsDir?: string;
  /** Looks at the database before it is thrown away (tests). */
  inspect?: (prisma: PrismaClient) => Promise<void>;
  /** Times every activity (bench:year): the summary's `activityTimes`. */
  timeActivities?: boolean;
}

export interface SimulationSummary {
  from: CivilDate;
  to: CivilDate;
  meetingsHeld: { total: number; byBody: Record<string, number> };
  meetingsCancelled: number;
  messages: { total: number; byKind: Record<string, number>; onNonWorkingDays: number; failed: number };
  /** Meetings whose convocation left after the notice deadline (body and day). */
  convocationsAfterDeadline: string[];
  escalations: { total: number; minutes: number; deliverables: number; byLevel: Record<string, number> };
  complianceBreaches: { body: string; rule: string; period: string; message: string }[];
  complianceWarnings: number;
  deliverables: { kind: string; year: number; status: string; stage: string; escalationLevel: number }[];
  /** Each wipe of Temporal's state and how many workflows the reconciler started again. */
  temporalWipes: { day: CivilDate; restarted: number }[];
  districts: number;
  /** Workflow executions the Temporal server ran (each continue-as-new run counts), across wipes. */
  workflows: number;
  wallSeconds: number;
  /** Of `wallSeconds`, the start: Postgres, migrations, the seeded districts, the Temporal server and worker. */
  setupSeconds: number;
  /** Present when asked for (`timeActivities`). */
  activityTimes?: ActivityTime[];
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  if (options.to < options.from) throw new Error(`--to ${options.to} precede --from ${options.from}`);
  const districts = options.districts ?? 1;
  if (!Number.isInteger(districts) || districts < 1)
    throw new Error(`Numero di distretti non valido: ${districts} (atteso un intero da 1 in su)`);
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    // The clock starts LEAD_DAYS before `from`, so the sessions of the first days (the Comitato Ristretto of
    // the first Tuesday of January) have their agenda asked for and are convened on time in the weeks
    // before, as a service already running would have done; the summary counts only [from, to].
    const start = atRome(options.from, '00:00').minus({ days: LEAD_DAYS }).toMillis();
    // The Temporal server starts, and webpack bundles the workflows, while Postgres initialises and the
    // district is seeded: separate processes, or waits on them, that need not queue behind each other.
    const firstServer = timeSkippingServer(start);
    let stopTemporal = async () => (await firstServer).teardown();
    cleanups.push(() => stopTemporal());
    void workflowBundle().catch(() => undefined); // awaited, and its error reported, by the worker
    const dir = mkdtempSync(join(tmpdir(), 'governance-sim-'));
    // Postgres runs as its own user when we are root: it must be able to enter the folder.
    chmodSync(dir, 0o755);
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    log('Avvio di PostgreSQL integrato (database nuovo)…');
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      log: () => {},
      throwaway: true,
    });
    cleanups.push(() => pg.stop());
    await applyMigrations(pg.url(), { log: () => {} });
    const prisma = createPrismaClient(pg.url());
    cleanups.push(() => prisma.$disconnect());
    await seedCremasco(prisma);
    for (let copy = 1; copy < districts; copy++) await seedCremasco(prisma, { copy });

    let smtpUrl = options.smtpUrl;
    if (!smtpUrl) {
      const catcher = await startMailCatcher();
      cleanups.push(() => catcher.close());
      smtpUrl = catcher.url;
    }
    const mailer = createMailer({ smtpUrl, maxConnections: 2 });
    cleanups.push(async () => mailer.close());

    const holidays = await loadHolidayCalendar(prisma);
    const untimed = createActivities({
      prisma,
      mailer,
      holidays,
      mailFrom: 'Ufficio di Piano <ufficio.piano@example.org>',
      publicBaseUrl: 'http://localhost:3000',
      answerLinkSecret: 'simulation-only-secret-simulation-only-secret',
      timeSkipping: true,
    });
    const timing = options.timeActivities ? timeActivities(untimed) : null;
    const activities = timing?.activities ?? untimed;
    let temporal = await startTemporal(activities, await firstServer);
    stopTemporal = () => temporal.stop();
    const sleepUntil = (ms: number) => sleepTo(temporal.env, ms);
    const gc = () => temporal.gc;

    const fromInstant = formatInstant(atRome(options.from, '00:00'));
    const toInstant = formatInstant(atRome(options.to, '23:59'));
    const ambiti = await prisma.ambito.findMany({ orderBy: { code: 'asc' } });
    for (const ambito of ambiti) {
      await startAnnualCycle(gc(), ambito.id, Number(options.from.slice(0, 4)), {
        seriesFrom: fromInstant,
        lastYear: Number(options.to.slice(0, 4)),
      });
    }
    const setupSeconds = secondsSince(started);
    await sleepUntil(Date.parse(fromInstant));
    // Monitoring begins with the simulated period: the weeks of lead are not judged.
    for (const ambito of ambiti) await startComplianceMonitor(gc(), ambito.id, toInstant);

    const wipes: SimulationSummary['temporalWipes'] = [];
    const countWorkflows = async () => (await temporal.env.client.workflow.count()).count;
    let workflowsOnWipedServers = 0;
    const people = createPeople(prisma, gc, holidays, options.scenario ?? { events: [] });
    const eventful = new Set<string>([
      ...(options.wipeTemporalOn ?? []),
      ...(options.restartWorkerOn ?? []),
      ...(options.scenario?.events ?? []).flatMap((e) => ('at' in e ? [e.at] : [])),
    ]);
    let lastLogged = '';
    // The first day routine work may be due: days before it pass without waking anyone (time skips).
    let due: CivilDate = options.from;
    for (let day = options.from; day <= options.to; day = addDays(day, 1)) {
      if (!eventful.has(day) && (day < due || !holidays.isWorkingDay(day))) continue;
      // People act at 07:00, before the office's automatic messages of 09:00.
      await sleepUntil(atRome(day, '07:00').toMillis());
      const now = new Date(await temporal.env.currentTimeMs());
      if (options.wipeTemporalOn?.includes(day)) {
        // Temporal loses everything; the reconciler rebuilds every workflow from the database.
        workflowsOnWipedServers += await countWorkflows();
        await temporal.stop();
        temporal = await startTemporal(activities, await timeSkippingServer(now.getTime()));
        const report = await reconcileOnce(temporal.gc, await listLiveObjects(prisma), now);
        wipes.push({ day, restarted: report.started.length });
        log(`Stato di Temporal cancellato il ${day}: riavviati ${report.started.length} processi`);
      }
      if (options.restartWorkerOn?.includes(day)) await temporal.restartWorker();
      const next = await people.act(day, now);
      due = Number.isFinite(next) ? dateOf(new Date(next).toISOString()) : addDays(options.to, 1);
      if (due <= day) due = addDays(day, 1);
      if (day.slice(0, 7) !== lastLogged) log(`Simulazione: ${(lastLogged = day.slice(0, 7))}`);
    }
    await sleepUntil(atRome(options.to, '23:59').toMillis());
    const workflows = workflowsOnWipedServers + (await countWorkflows());
    const summary = await summarise(prisma, holidays, options.from, options.to);
    if (options.reportsDir) {
      const written = await writeYearReports(prisma, options.reportsDir, options.from, options.to);
      log(`Report scritti in ${options.reportsDir}: ${written.length} file`);
    }
    await options.inspect?.(prisma);
    return {
      ...summary,
      temporalWipes: wipes,
      districts,
      workflows,
      wallSeconds: secondsSince(started),
      setupSeconds,
      ...(timing ? { activityTimes: timing.times() } : {}),
    };
  } finally {
    await cleanup();
  }
}

/** Seconds since `started` (epoch ms), to a tenth. */
const secondsSince = (started: number) => Math.round((Date.now() - started) / 100) / 10;

/** Days the simulated clock runs before the period: enough for January's agenda e-mails and convocations. */
const LEAD_DAYS = 21;

/**
 * A fresh offline Temporal server (time skipping) whose virtual time begins at `atMs`. The offline server can
 * begin anywhere (`--start-at`), so any period simulates, past years too.
 */
function timeSkippingServer(atMs: number) {
  quietTemporalLogs('WARN');
  const server = TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: TEST_SERVER },
      extraArgs: ['--start-at', new Date(atMs).toISOString()],
    },
  });
  server.catch(() => undefined); // awaited, and its error reported, by whoever uses it
  return server;
}

/** The worker running on a server from timeSkippingServer; stopping it tears the server down. */
async function startTemporal(activities: ReturnType<typeof createActivities>, env: TestWorkflowEnvironment) {
  const run = async () => {
    const worker = await createGovernanceWorker({
      connection: env.nativeConnection,
      activities,
      taskQueue: TASK_QUEUE,
    });
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
    };
  };
  let stopWorker = await run();
  return {
    env,
    gc: { client: env.client, taskQueue: TASK_QUEUE } satisfies GovernanceClient,
    /** A new worker starts with an empty cache: every workflow is replayed from its history. */
    async restartWorker() {
      await stopWorker();
      stopWorker = await run();
    },
    async stop() {
      await stopWorker();
      await env.teardown();
    },
  };
}

async function sleepTo(env: TestWorkflowEnvironment, ms: number): Promise<void> {
  const delta = ms - (await env.currentTimeMs());
  if (delta > 0) await env.sleep(delta);
}

/** The simulated people: on time unless the scenario says otherwise, and the scenario's dated changes. */
function createPeople(
  prisma: PrismaClient,
  gcOf: () => GovernanceClient,
  holidays: HolidayCalendar,
  scenario: Scenario,
) {
  const events = scenario.events;
  const meetingKey = (body: string, day: string) => `${body}@${day}`;
  const noAnswers = new Set(
    events.flatMap((e) => (e.type === 'noAnswers' ? [meetingKey(e.body, e.meeting)] : [])),
  );
  const lateMinutes = new Map(
    events.flatMap((e) =>
      e.type === 'lateMinutes' ? [[meetingKey(e.body, e.meeting), e.days] as const] : [],
    ),
  );
  const lateDeliverables = new Map(
    events.flatMap((e) =>
      e.type === 'lateDeliverable' ? [[`${e.deliverable}@${e.year}`, e.days] as const] : [],
    ),
  );

  const attendanceScripts = events.flatMap((e) => (e.type === 'absence' || e.type === 'delegate' ? [e] : []));
  const rollCalled = new Set<string>();

  /** The seat holders of a body on a meeting's day, each once (a person may hold two seats). */
  async function holdersOn(bodyId: string, at: Date): Promise<string[]> {
    const memberships = await prisma.membership.findMany({
      where: { seat: { bodyId }, ...heldOn(at) },
      orderBy: { seat: { code: 'asc' } },
    });
    return [...new Set(memberships.map((ms) => ms.personId))];
  }

  /** What the scenario scripts for a meeting, by the person holding the seat it names. */
  async function scriptedBy(m: {
    id: string;
    bodyId: string;
    plannedDateKey: string;
    startsAt: Date;
    body: { code: string };
  }) {
    const byPerson = new Map<string, (typeof attendanceScripts)[number]>();
    for (const e of attendanceScripts) {
      if (e.body !== m.body.code || e.meeting !== m.plannedDateKey) continue;
      const holder = await prisma.membership.findFirst({
        where: {
          seat: { bodyId: m.bodyId, code: e.seat },
          ...heldOn(m.startsAt),
        },
      });
      if (!holder)
        throw new Error(`Scenario: nessun titolare del seggio ${e.seat} in ${e.body} il ${e.meeting}`);
      byPerson.set(holder.personId, e);
    }
    return byPerson;
  }

  async function meetingOf(e: { body: string; meeting: string }) {
    const m = await prisma.meeting.findFirst({
      where: { body: { code: e.body, ambito: { code: AMBITO_CODE } }, plannedDateKey: e.meeting },
    });
    if (!m) throw new Error(`Scenario: nessuna seduta ${e.body} del ${e.meeting} pianificata a questa data`);
    return m;
  }
  async function deliverableOf(e: { deliverable: string; year: number }) {
    return prisma.deliverable.findFirstOrThrow({
      where: { kind: e.deliverable as never, referenceYear: e.year, ambito: { code: AMBITO_CODE } },
    });
  }

  async function apply(e: ScenarioEvent, now: Date) {
    switch (e.type) {
      case 'reschedule':
        return signalMeeting(gcOf(), (await meetingOf(e)).id, 'reschedule', {
          startsAt: e.startsAt,
          endsAt: e.endsAt,
          ...(e.reason ? { reason: e.reason } : {}),
        });
      case 'cancel':
        return signalMeeting(gcOf(), (await meetingOf(e)).id, 'cancel', { reason: e.reason });
      case 'addendum':
        return signalMeeting(gcOf(), (await meetingOf(e)).id, 'agendaAddendum', { items: e.items });
      case 'waive':
        return signalDeliverable(gcOf(), (await deliverableOf(e)).id, 'waived', {
          reason: e.reason,
          by: 'scenario',
        });
      case 'extend':
        return signalDeliverable(gcOf(), (await deliverableOf(e)).id, 'extended', {
          dueAt: e.dueAt,
          reason: e.reason,
          by: 'scenario',
        });
      case 'changeRules': {
        const body = await prisma.body.findFirstOrThrow({
          where: { code: e.body, ambito: { code: AMBITO_CODE } },
        });
        const rules = applyRulesChange(body.rules, e.rules);
        await prisma.body.update({ where: { id: body.id }, data: { rules } });
        return signalRulesChanged(gcOf(), body.id, now.toISOString());
      }
      default:
        return undefined;
    }
  }

  return {
    /** Does the day's work; returns the earliest instant when routine work may be due again. */
    async act(day: CivilDate, now: Date): Promise<number> {
      for (const e of events) if ('at' in e && e.at === day) await apply(e, now);
      // Offices work on working days: what people do by routine waits for the next one.
      if (!holidays.isWorkingDay(day)) return now.getTime();
      const nextDay = now.getTime() + 86_400_000;
      const wake: number[] = [Date.UTC(now.getUTCFullYear() + 1, 0, 1)];

      // Invitees answer the day after the convocation. The workflow only counts answers, so they may arrive
      // together: the server hands them to the workflow in as few tasks as it can.
      // People act at 07:00 and convocations leave at 09:00, so every invitation here is from an earlier day.
      // (Its createdAt is the database's real time, not the simulated one: it says nothing about that.)
      const open = await prisma.invitation.findMany({
        where: { answer: null, meeting: { status: 'convened' } },
        include: { meeting: { include: { body: true } } },
      });
      const scripts = new Map<string, Promise<Awaited<ReturnType<typeof scriptedBy>>>>();
      const scriptOf = (meeting: (typeof open)[number]['meeting']) => {
        if (!scripts.has(meeting.id)) scripts.set(meeting.id, scriptedBy(meeting));
        return scripts.get(meeting.id)!;
      };
      const answers = (
        await Promise.all(
          open.map(async (i) => {
            if (noAnswers.has(meetingKey(i.meeting.body.code, i.meeting.plannedDateKey))) return [];
            const script = (await scriptOf(i.meeting)).get(i.personId);
            const answer =
              script?.type === 'delegate'
                ? ('delegate' as const)
                : script?.type === 'absence' && script.justified
                  ? ('absent' as const)
                  : ('present' as const);
            const delegateName = script?.type === 'delegate' ? script.delegate : null;
            return [{ invitation: i, answer, delegateName }];
          }),
        )
      ).flat();
      // The day's answers are stored together (one statement), then each reaches its meeting's workflow.
      if (answers.length > 0) {
        await prisma.$executeRaw`
          UPDATE "Invitation" AS i SET answer = t.answer::"InvitationAnswer", "answeredAt" = ${now},
            "delegateName" = t.delegate_name
          FROM unnest(${answers.map((a) => a.invitation.id)}::uuid[], ${answers.map((a) => a.answer)}::text[],
            ${answers.map((a) => a.delegateName)}::text[]) AS t(id, answer, delegate_name)
          WHERE i.id = t.id`;
      }
      await Promise.all(
        answers.map(({ invitation: i, answer }) =>
          signalMeeting(gcOf(), i.meetingId, 'answer', { personId: i.personId, answer }),
        ),
      );

      // The rest of the day's work touches other meetings or deliverables than the answers above and than each
      // other: it goes on side by side, and only the earliest wake-up matters.
      await Promise.all([
        (async () => {
          // The secretary takes the roll call of the day's sessions; the workflow records it when the session ends.
          const todays = await prisma.meeting.findMany({
            where: { status: 'convened', startsAt: romeDay(day) },
            include: { body: true },
          });
          for (const m of todays) {
            if (rollCalled.has(m.id)) continue;
            rollCalled.add(m.id);
            const scripts = await scriptedBy(m);
            const entries = (await holdersOn(m.bodyId, m.startsAt)).map((personId) => {
              const script = scripts.get(personId);
              return script?.type === 'delegate'
                ? { personId, status: 'delegate' as const, delegateName: script.delegate }
                : {
                    personId,
                    status: script?.type === 'absence' ? absence(script.justified) : ('present' as const),
                  };
            });
            if (entries.length > 0) await signalMeeting(gcOf(), m.id, 'attendance', { entries });
          }
        })(),
        (async () => {
          // Secretaries send the verbale the day after the meeting (or as late as the scenario says).
          const waiting = await prisma.verbale.findMany({
            where: { submittedAt: null, meeting: { status: 'held' } },
            include: { meeting: { include: { body: true } } },
          });
          for (const v of waiting) {
            const delay = lateMinutes.get(meetingKey(v.meeting.body.code, v.meeting.plannedDateKey)) ?? 1;
            const due = v.meeting.endsAt.getTime() + delay * 86_400_000;
            if (now.getTime() < due) {
              wake.push(due);
              continue;
            }
            await prisma.verbale.update({
              where: { id: v.id },
              data: { submittedAt: now, approvedAt: now, status: 'approved' },
            });
            await signalMeeting(gcOf(), v.meetingId, 'minutesSubmitted');
            await signalMeeting(gcOf(), v.meetingId, 'minutesApproved');
          }
        })(),
        (async () => {
          // Each deliverable stage is completed ten days before it is due (or late, per the scenario).
          const deliverables = await prisma.deliverable.findMany({
            where: { status: { in: ['open', 'submitted'] } },
          });
          const plans = await Promise.all(
            deliverables.map((d) =>
              queryDeliverable(gcOf(), d.id)
                .then((s) => s.plan)
                .catch(() => null),
            ),
          );
          for (const [index, d] of deliverables.entries()) {
            const plan = plans[index];
            if (!plan) {
              wake.push(nextDay); // the workflow is starting (or restarting): look again tomorrow
              continue;
            }
            if (plan.closed) continue;
            const late = lateDeliverables.get(`${d.kind}@${d.referenceYear}`);
            const actAt = Date.parse(plan.dueAt) + (late ? late * 86_400_000 : -10 * 86_400_000);
            if (now.getTime() < actAt) {
              wake.push(actAt);
              continue;
            }
            await signalDeliverable(gcOf(), d.id, 'submitted', { stage: plan.stage, by: 'scenario' });
            wake.push(nextDay); // the next stage has its own date: look again tomorrow
          }
        })(),
        (async () => {
          // Upcoming meetings: answers follow their convocation, minutes follow their end.
          const upcoming = await prisma.meeting.findMany({
            where: { status: { in: ['planned', 'convened'] } },
            include: { body: true },
          });
          for (const m of upcoming) {
            wake.push(m.endsAt.getTime());
            if (m.status === 'planned') {
              const rules = BodyRules.parse(m.body.rules);
              const t = meetingTimeline({ startsAt: iso(m.startsAt), urgent: m.urgent }, rules, holidays);
              wake.push(Date.parse(t.convocationAt));
            }
          }
        })(),
      ]);
      return Math.min(...wake.filter((t) => t > now.getTime()));
    },
  };
}

async function summarise(
  prisma: PrismaClient,
  holidays: HolidayCalendar,
  from: CivilDate,
  to: CivilDate,
): Promise<
  Omit<
    SimulationSummary,
    'wallSeconds' | 'setupSeconds' | 'activityTimes' | 'temporalWipes' | 'districts' | 'workflows'
  >
> {
  const range = { gte: atRome(from, '00:00').toJSDate(), lte: atRome(to, '23:59').toJSDate() };
  const meetings = await prisma.meeting.findMany({ where: { startsAt: range }, include: { body: true } });
  const held = meetings.filter((m) => m.status === 'held' || m.status === 'closed');
  const byBody: Record<string, number> = {};
  for (const m of held) byBody[m.body.name] = (byBody[m.body.name] ?? 0) + 1;

  const messages = await prisma.outboxMessage.findMany({ where: { createdAt: range } });
  const byKind: Record<string, number> = {};
  for (const m of messages) byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
  const onNonWorkingDays = messages.filter((m) => !holidays.isWorkingDay(dayInRome(m.createdAt))).length;

  // A convocation is late when its first copy left with fewer giorni liberi (or hours, when urgent) than the rule.
  const convocationsAfterDeadline: string[] = [];
  for (const m of meetings.filter((x) => x.convenedAt)) {
    const first = messages
      .filter((x) => x.idempotencyKey.startsWith(`convocation:${m.id}:`))
      .reduce<Date | null>((min, x) => (!min || x.createdAt < min ? x.createdAt : min), null);
    if (!first) continue;
    const notice = BodyRules.parse(m.body.rules).notice;
    const check = checkNotice(iso(first), iso(m.startsAt), notice, m.urgent);
    if (!check.ok) {
      convocationsAfterDeadline.push(
        `${m.body.name} ${m.plannedDateKey} (${check.given} < ${check.required})`,
      );
    }
  }

  const escalationRows = messages.filter(
    (m) => m.kind === 'escalation' && !m.idempotencyKey.startsWith('compliance:'),
  );
  const byLevel: Record<string, number> = {};
  const levelOf = (key: string) => {
    const parts = key.split(':');
    return key.startsWith('escalation:') ? parts[4]! : 'verbale';
  };
  for (const m of escalationRows)
    byLevel[levelOf(m.idempotencyKey)] = (byLevel[levelOf(m.idempotencyKey)] ?? 0) + 1;

  const audits = await prisma.auditEvent.findMany({
    where: { action: { startsWith: 'compliance.' } },
    orderBy: { at: 'asc' },
  });
  const bodies = new Map((await prisma.body.findMany()).map((b) => [b.id, b.name]));
  const breaches = audits
    .filter((a) => a.action === 'compliance.breach')
    .map((a) => {
      const f = a.data as { rule: string; period: string; message: string };
      return {
        body: bodies.get(a.entityId) ?? a.entityId,
        rule: f.rule,
        period: f.period,
        message: f.message,
      };
    });

  const deliverables = await prisma.deliverable.findMany({ orderBy: [{ dueDate: 'asc' }] });
  return {
    from,
    to,
    meetingsHeld: { total: held.length, byBody },
    meetingsCancelled: meetings.filter((m) => m.status === 'cancelled').length,
    messages: {
      total: messages.length,
      byKind,
      onNonWorkingDays,
      failed: messages.filter((m) => m.status === 'failed').length,
    },
    convocationsAfterDeadline,
    escalations: {
      total: escalationRows.length,
      minutes: escalationRows.filter((m) => m.idempotencyKey.startsWith('minutes-step:')).length,
      deliverables: escalationRows.filter((m) => m.idempotencyKey.startsWith('escalation:')).length,
      byLevel,
    },
    complianceBreaches: breaches,
    complianceWarnings: audits.filter((a) => a.action === 'compliance.warning').length,
    deliverables: deliverables.map((d) => ({
      kind: d.kind,
      year: d.referenceYear,
      status: d.status,
      stage: d.stage,
      escalationLevel: d.escalationLevel,
    })),
  };
}
