/**
 * Starts the parts of the service in order and stops them in reverse: database (migrated, optionally
 * seeded), notifications, Temporal, worker and HTTP server. `npm start` runs everything in one process;
 * `npm run api` and `npm run worker` run the halves for production.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../api/server';
import { startNotifications } from '../notifications';
import { seedCremasco } from '../prisma/seed';
import { startGovernanceWorker, workerSettings } from '../worker/start';
import { connectGovernanceClient, signalMeeting } from '../workflows/client';
import type { Config } from './config';
import { openDatabase } from './database';
import { resolveTemporal } from './temporal';

export interface RuntimeOptions {
  config: Config;
  /** `all` (npm start) runs the worker and the reconciler in this process; `api` leaves them to `npm run worker`. */
  role?: 'all' | 'api';
  log?: (message: string) => void;
}

export interface Runtime {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

export async function startRuntime({
  config,
  role = 'all',
  log = console.log,
}: RuntimeOptions): Promise<Runtime> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => console.error(error));
  };
  try {
    const database = await openDatabase(config, log);
    stops.push(() => database.close());
    log(`Database: ${database.kind === 'embedded' ? 'PostgreSQL integrato' : 'DATABASE_URL'}`);
    if (config.SEED_ON_START) {
      await seedCremasco(database.db);
      log("Dati dell'Ambito Distrettuale Cremasco presenti (seed idempotente).");
    }

    const temporal = await resolveTemporal(config, log);
    stops.push(() => temporal.stop());
    const governance = await connectGovernanceClient({
      address: temporal.address,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      virtualTime: config.TEMPORAL_TIME_SKIPPING,
    });
    stops.push(() => governance.close());
    // The client's clock: the real one, or beside a time-skipping server (tests, simulations) that server's,
    // which the worker lives on too.
    const now = () => governance.now();

    const notifications = await startNotifications({
      config,
      db: database.db,
      log: { info: log, warn: (obj, message) => console.warn(message ?? '', obj) },
      // The answer is already stored; the meeting workflow is told so its state and quorum follow.
      onAnswer: ({ meetingId, personId, answer }) =>
        signalMeeting(governance, meetingId, 'answer', { personId, answer }),
      now,
    });
    stops.push(() => notifications.close());

    if (role === 'all') {
      const worker = await startGovernanceWorker({
        ...workerSettings(config, database.db, notifications.mailer),
        address: temporal.address,
        reconcile: config.RECONCILE_SCHEDULE,
        log,
      });
      stops.push(() => worker.stop());
    }

    const app = await buildServer({
      db: database.db,
      config,
      governance,
      now,
      plugins: [async (scope) => notifications.registerRoutes(scope)],
      outbox: notifications.outbox,
      answering: notifications.answering,
      cookieSecret: notifications.cookieSecret,
    });
    stops.push(() => app.close());
    const url = await app.listen({ port: config.PORT, host: config.HOST });
    log(`Servizio pronto su ${url} (salute: ${url}/healthz, calendario: ${url}/api/v1/calendar)`);
    return { app, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
