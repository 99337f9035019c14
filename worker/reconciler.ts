/**
 * Heals the system when Temporal has lost state (a wiped dev server, a restored database): every live
 * object in the database gets its workflow back. Starting is idempotent (deterministic ids), and a
 * restarted workflow resumes from what the database says (convened, held, minutes submitted...), while
 * every message it might repeat carries the same outbox idempotency key as the first time: nothing is
 * sent twice.
 *
 * Workflows that closed normally are not restarted: the reuse policy only allows a new run after a
 * failed, terminated or cancelled one.
 *
 * Several reconcilers may run at the same moment (every worker process runs one): Temporal refuses a
 * second start of a running workflow id, so whichever comes second starts nothing. A workflow a series or
 * an annual cycle is about to start as its child may be started by a reconciler first; the child start
 * then finds it running and leaves it alone (workflows/children.ts). tests/hardening/scale-out.test.ts
 * races two worker processes' reconcilers on the same second.
 */
import cron from 'node-cron';
import { readClock, type Clock } from '../domain/index';
import {
  startAnnualCycle,
  startComplianceMonitor,
  startDeliverableWorkflow,
  startMeetingWorkflow,
  startSeriesWorkflow,
  type GovernanceClient,
} from '../workflows/client';

/** What the database says must be running. */
export interface LiveObjects {
  meetings: string[];
  deliverables: string[];
  seriesBodies: string[];
  ambiti: string[];
}

export interface ReconcileReport {
  started: string[];
}

export async function reconcileOnce(
  gc: GovernanceClient,
  live: LiveObjects,
  now: Date = new Date(),
): Promise<ReconcileReport> {
  const started: string[] = [];
  const track = async (id: string, start: Promise<boolean>) => {
    if (await start) started.push(id);
  };
  const after = now.toISOString();
  for (const id of live.meetings) await track(`meeting/${id}`, startMeetingWorkflow(gc, id));
  for (const id of live.deliverables) await track(`deliverable/${id}`, startDeliverableWorkflow(gc, id));
  for (const id of live.seriesBodies) await track(`series/${id}`, startSeriesWorkflow(gc, id, after));
  const year = Number(
    new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Europe/Rome' }).format(now),
  );
  for (const id of live.ambiti) {
    await track(`annual/${id}/${year}`, startAnnualCycle(gc, id, year, { seriesFrom: after }));
    await track(`compliance/${id}`, startComplianceMonitor(gc, id));
  }
  return { started };
}

export interface ReconcilerOptions {
  gc: GovernanceClient;
  listLive: () => Promise<LiveObjects>;
  /** node-cron expression; every five minutes by default. */
  schedule?: string;
  /** The instant series plan after and whose year the annual cycle is; the real one by default. */
  now?: Clock;
  onReport?: (report: ReconcileReport) => void;
  onError?: (error: unknown) => void;
}

/** Runs once at once, then on the schedule; returns a stop function. Runs never overlap. */
export function startReconciler(options: ReconcilerOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const now = new Date(await readClock(options.now));
        const report = await reconcileOnce(options.gc, await options.listLive(), now);
        options.onReport?.(report);
      } catch (error) {
        options.onError?.(error);
      }
    });
  };
  run();
  const task = cron.schedule(options.schedule ?? '*/5 * * * *', run, { noOverlap: true });
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
