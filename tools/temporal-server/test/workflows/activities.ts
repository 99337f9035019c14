// Workflows that exercise activity scheduling, retries, heartbeats, timeouts and cancellation.
import {
  ActivityCancellationType,
  CancellationScope,
  defineSignal,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';

export const cancelNow = defineSignal('cancelNow');

const quick = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

export async function runEcho(value: string): Promise<string> {
  return quick.echo(value);
}

/** The retry backoff is one virtual hour per attempt: only time skipping makes this finish at once. */
export async function retryUntilSuccess(): Promise<number> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 hour', backoffCoefficient: 1, maximumAttempts: 5 },
  });
  return acts.failTwice();
}

export async function exhaustRetries(nonRetryable: boolean): Promise<void> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
  });
  await acts.alwaysFail(nonRetryable);
}

export async function heartbeatResume(): Promise<number> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumAttempts: 2 },
  });
  return acts.resumeFromHeartbeat();
}

export type TimeoutKind = 'startToClose' | 'scheduleToClose' | 'scheduleToStart' | 'heartbeat';

/** Each kind arms exactly one timeout that a long real-time activity (or a queue without workers) must hit. */
export async function hitTimeout(kind: TimeoutKind): Promise<string> {
  const options: Record<TimeoutKind, ActivityOptions> = {
    startToClose: { startToCloseTimeout: '1 second', retry: { maximumAttempts: 1 } },
    scheduleToClose: { scheduleToCloseTimeout: '2 seconds', retry: { initialInterval: '100 ms' } },
    scheduleToStart: {
      taskQueue: `${workflowInfo().taskQueue}-no-workers`,
      scheduleToStartTimeout: '1 second',
      startToCloseTimeout: '1 minute',
    },
    heartbeat: {
      startToCloseTimeout: '1 minute',
      heartbeatTimeout: '1 second',
      retry: { maximumAttempts: 1 },
    },
  };
  const acts = proxyActivities<Activities>(options[kind]);
  return acts.sleepFor(20_000);
}

/** Cancels a running, heartbeating activity when told to, and waits for the activity to confirm. */
export async function cancelRunningActivity(): Promise<string> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    // Generous, so a loaded machine cannot turn the test into a heartbeat timeout; the test's worker throttles
    // heartbeats to 200 ms so the cancellation still arrives quickly.
    heartbeatTimeout: '10 seconds',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { maximumAttempts: 1 },
  });
  const scope = new CancellationScope();
  setHandler(cancelNow, () => scope.cancel());
  try {
    await scope.run(() => acts.waitForCancel());
    return 'completed';
  } catch (err) {
    if (isCancellation(err)) return 'cancelled';
    throw err;
  }
}

/** Races a slow real-time activity against a 10-minute timer: time must not skip while the activity runs. */
export async function raceActivityAgainstTimer(activityMs: number): Promise<string> {
  return Promise.race([
    sleep('10 minutes').then(() => 'timer'),
    quick.sleepFor(activityMs).then(() => 'activity'),
  ]);
}
