/**
 * Runs the governance worker (and, when asked, the reconciler) against a Temporal server: used by
 * `npm run worker`, by `npm start` (through app/runtime.ts) and by the simulator.
 */
import { NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index';
import { listLiveObjects } from '../activities/live';
import { CREMA_LOCAL_FEASTS, HolidayCalendar, type LocalFeast } from '../domain/index';
import type { Config } from '../app/config';
import { loadAnswerLinkSecret } from '../notifications/answers/tokens';
import type { Mailer } from '../notifications/transport';
import type { PrismaClient } from '../prisma/client';
import { connectGovernanceClient } from '../workflows/client';
import { DEFAULT_TASK_QUEUE } from '../workflows/contracts';
import { startReconciler } from './reconciler';
import { createGovernanceWorker } from './worker';

export interface StartWorkerOptions extends Omit<ActivityDeps, 'holidays'> {
  address: string;
  namespace?: string;
  taskQueue?: string;
  /** Start the reconciler too (node-cron expression, or true for every five minutes). */
  reconcile?: boolean | string;
  log?: (message: string) => void;
}

/** The worker's settings that come from the service configuration, shared by `npm start` and `npm run worker`. */
export function workerSettings(config: Config, prisma: PrismaClient, mailer: Mailer) {
  return {
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    prisma,
    mailer,
    mailFrom: config.MAIL_FROM,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    answerLinkSecret: loadAnswerLinkSecret(process.env, config.DATA_DIR),
    timeSkipping: config.TEMPORAL_TIME_SKIPPING,
  };
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * The holiday calendar of the district: national holidays plus the ambito-wide local feasts stored in the
 * database (the Cremasco's patron saint when none is stored yet).
 */
export async function loadHolidayCalendar(prisma: PrismaClient): Promise<HolidayCalendar> {
  const stored = await prisma.localFeastDay.findMany({
    where: { comuneId: null },
    orderBy: [{ month: 'asc' }, { day: 'asc' }],
  });
  const feasts: LocalFeast[] = stored.map((f) => ({ month: f.month, day: f.day, name: f.name }));
  return new HolidayCalendar(feasts.length > 0 ? feasts : CREMA_LOCAL_FEASTS);
}

export async function startGovernanceWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? console.log;
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const connection = await NativeConnection.connect({ address: options.address });
  const activities = createActivities({ ...options, holidays: await loadHolidayCalendar(options.prisma) });
  const worker = await createGovernanceWorker({
    connection,
    activities,
    namespace: options.namespace,
    taskQueue,
  });
  const running = worker.run();
  log(`Worker Temporal attivo su ${options.address}, coda "${taskQueue}"`);

  let stopReconciler = async () => {};
  if (options.reconcile) {
    const gc = await connectGovernanceClient({
      address: options.address,
      namespace: options.namespace,
      taskQueue,
      virtualTime: options.timeSkipping,
    });
    let firstPass = true;
    const reconciler = startReconciler({
      gc,
      // Beside a time-skipping server, its clock, as the activities': series are planned, and the annual
      // cycle chosen, in the virtual time the workflows run in, not from the real date.
      now: () => gc.now(),
      listLive: () => listLiveObjects(options.prisma),
      schedule: typeof options.reconcile === 'string' ? options.reconcile : undefined,
      onReport: (r) => {
        if (r.started.length > 0) log(`Riconciliatore: avviati ${r.started.join(', ')}`);
        // Said once at start, so an operator (and the scale-out test) sees that the first pass is over.
        else if (firstPass) log('Riconciliatore: nessun processo da avviare');
        firstPass = false;
      },
      onError: (e) => console.error('Riconciliatore:', e),
    });
    stopReconciler = async () => {
      await reconciler.stop();
      await gc.close();
    };
  }

  return {
    async stop() {
      await stopReconciler();
      // The SDK also reacts to SIGINT/SIGTERM by itself: shut down only if it has not begun already.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      log('Worker Temporal arrestato: attività in corso completate.');
    },
  };
}
