// The benchmark workflow: three one-day timers around two activities, as issue 3 specifies.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BenchActivities } from '../activities';

const acts = proxyActivities<BenchActivities>({ startToCloseTimeout: '1 minute' });

export async function benchWorkflow(id: number): Promise<string> {
  await sleep('1 day');
  const first = await acts.stamp(id, 'first');
  await sleep('1 day');
  const second = await acts.stamp(id, 'second');
  await sleep('1 day');
  return `${first}+${second}`;
}
