// End-to-end scenarios named in issue 3's "Done when", plus the workflow used to compare worker caching modes.
import { condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { approve, stageQuery } from './basics';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface MonthLongResult {
  attempt: number;
  approvedBy: string;
  daysElapsed: number;
}

/** Sleeps 30 days, runs an activity that fails twice then succeeds, then waits for approval (queryable). */
export async function monthLongApproval(): Promise<MonthLongResult> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5 },
  });
  let stage = 'sleeping';
  let approvedBy: string | undefined;
  setHandler(stageQuery, () => stage);
  setHandler(approve, (who) => void (approvedBy = who));
  const startedAt = Date.now();
  await sleep('30 days');
  stage = 'retrying';
  const attempt = await acts.failTwice();
  stage = 'waiting for approval';
  await condition(() => approvedBy !== undefined);
  stage = 'approved';
  return {
    attempt,
    approvedBy: approvedBy ?? '',
    daysElapsed: Math.floor((Date.now() - startedAt) / DAY_MS),
  };
}

/** Blocks on a signal between two activities, so a test can replace the worker in the middle. */
export async function twoStepsWithApproval(): Promise<string[]> {
  const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
  let stage = 'reserving';
  let approved = false;
  setHandler(stageQuery, () => stage);
  setHandler(approve, () => void (approved = true));
  const done = [await acts.step('reserve')];
  stage = 'waiting for approval';
  await condition(() => approved);
  stage = 'shipping';
  done.push(await acts.step('ship'));
  return done;
}

/** Several workflow tasks (timers, activities) so that a worker without cache must replay full histories. */
export async function manyTasks(rounds: number): Promise<string[]> {
  const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
  const done: string[] = [];
  for (let i = 0; i < rounds; i++) {
    await sleep('1 hour');
    done.push(await acts.step(`round-${i}`));
  }
  return done;
}
