// Workflows for the client-facing WorkflowService calls: start, signal, query, terminate, cancel, timers.
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  setHandler,
  sleep,
} from '@temporalio/workflow';

export const approve = defineSignal<[string]>('approve');
export const add = defineSignal<[string]>('add');
export const stageQuery = defineQuery<string>('stage');
export const itemsQuery = defineQuery<string[]>('items');

export async function echo(value: string): Promise<string> {
  return value;
}

export async function failWith(type: string): Promise<never> {
  throw ApplicationFailure.create({ type, message: `failed with ${type}`, nonRetryable: true });
}

/** Waits for one `approve` signal; `stage` is queryable before and after. */
export async function waitForApproval(): Promise<string> {
  let approvedBy: string | undefined;
  let stage = 'waiting';
  setHandler(approve, (who) => {
    approvedBy = who;
    stage = 'approved';
  });
  setHandler(stageQuery, () => stage);
  await condition(() => approvedBy !== undefined);
  return `approved by ${approvedBy}`;
}

/** Collects `add` signals until `expected` arrived, in arrival order. */
export async function collect(expected: number): Promise<string[]> {
  const items: string[] = [];
  setHandler(add, (item) => void items.push(item));
  setHandler(itemsQuery, () => items);
  await condition(() => items.length >= expected);
  return items;
}

/** Sleeps on a durable timer; returns the workflow-time milliseconds that passed. */
export async function sleeper(duration: string): Promise<number> {
  const before = Date.now();
  await sleep(duration);
  return Date.now() - before;
}

/** A timer that is cancelled when the signal arrives first (condition with timeout). */
export async function signalOrDeadline(deadline: string): Promise<string> {
  let signalled = false;
  setHandler(approve, () => void (signalled = true));
  const inTime = await condition(() => signalled, deadline);
  return inTime ? 'signalled' : 'deadline';
}
