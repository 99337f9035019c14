// Workflows used by the server's own smoke test.
import {
  condition,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from './activities.js';

const { flaky, greet } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export const approve = defineSignal<[string]>('approve');
export const stateQuery = defineQuery<string>('state');

/** Sleeps 30 days, runs an activity that fails twice, waits for a signal, answers a query. */
export async function monthLong(name: string): Promise<string> {
  let state = 'sleeping';
  let approvedBy = '';
  setHandler(stateQuery, () => state);
  setHandler(approve, (who) => {
    approvedBy = who;
  });
  await sleep('30 days');
  state = 'working';
  const attempts = await flaky(name);
  state = 'waiting';
  await condition(() => approvedBy !== '');
  state = 'done';
  return `${await greet(name)} after ${attempts} attempts, approved by ${approvedBy}`;
}

/** Fails its workflow tasks (a "bug") until 1.5 s after the start, then completes. */
export async function buggyAtFirst(): Promise<string> {
  if (Date.now() - workflowInfo().startTime.getTime() < 1500) throw new Error('bug: too early');
  return 'fixed';
}

/** Greets through an activity on another task queue, whose worker the test controls. */
export async function greetOn(queue: string, name: string): Promise<string> {
  const remote = proxyActivities<typeof activities>({
    taskQueue: queue,
    startToCloseTimeout: '1 hour',
    retry: { initialInterval: '1 second', maximumAttempts: 2 },
  });
  return remote.greet(name);
}
