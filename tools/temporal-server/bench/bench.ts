// `npm run bench:temporal [-- --workflows N]`: runs N (default 1,000) workflows with 3 one-day timers and
// 2 activities each on the offline server under time skipping, with a real worker, and reports the wall time
// against the target from issue 12 (1,000 workflows in under 10 s on 2 cores; issue 3 asked for 30 s).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { cpuSecondsOfTree } from '../../cpu-time';
import { createTestEnv, serverUnderTest, uniqueName, workflowBundle } from '../test/env';
import { benchActivities } from './activities';
import { benchWorkflow } from './workflows/index';

const TARGET_SECONDS = 10;
const TARGET_WORKFLOWS = 1_000;
/** Starts in flight at once: enough to keep the worker busy without a thousand simultaneous RPCs. */
const START_CONCURRENCY = 50;
/**
 * One workflow thread per core of the 2-core machine the target is stated for. With one (the SDK's default
 * when V8 contexts are reused) that thread is the bottleneck: every call into the workflow sandbox carries a
 * deadlock timeout, and Node starts a watchdog thread for each timed vm call (nodejs/node#10453), about 40%
 * of the thread's time in the profile. The governance worker keeps one: its load is a few thousand tasks a
 * year, and a second thread only costs start-up (loading the bundle into a second context).
 */
const WORKFLOW_THREADS = 2;

function workflowCount(): number {
  const { values } = parseArgs({
    options: { workflows: { type: 'string', default: String(TARGET_WORKFLOWS) } },
  });
  const count = Number(values.workflows);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new Error(`--workflows must be an integer between 1 and 100000, got "${values.workflows}"`);
  }
  return count;
}

/** CPU seconds of this process, all its threads (V8 helpers, the SDK's Rust core, the workflow thread). */
function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function main(): Promise<void> {
  const count = workflowCount();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const setupStart = performance.now();
  const env = await createTestEnv();
  try {
    const taskQueue = uniqueName('bench');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(path.join(here, 'workflows')),
      activities: benchActivities,
      workflowThreadPoolSize: WORKFLOW_THREADS,
    });
    // A plain client: the time-skipping client would lock and unlock time around each of the N result calls.
    const client = new Client({ connection: env.connection });
    const { testService } = env.connection;
    if (!testService) throw new Error('the environment has no TestService: time skipping is unavailable');
    const setupSeconds = (performance.now() - setupStart) / 1000;

    const cpu = { bench: 0, server: 0 };
    const elapsed = await worker.runUntil(async () => {
      await testService.unlockTimeSkipping({});
      // This process (client, SDK worker with its Rust core and workflow thread) and the server it spawned,
      // apart: which side a change moved. Read outside the timing.
      const treeBefore = cpuSecondsOfTree();
      const benchBefore = processCpuSeconds();
      const started = performance.now();
      const handles = [];
      for (let next = 0; next < count; next += START_CONCURRENCY) {
        const batch = Array.from({ length: Math.min(START_CONCURRENCY, count - next) }, (_, i) =>
          client.workflow.start(benchWorkflow, {
            taskQueue,
            workflowId: `${taskQueue}-${next + i}`,
            args: [next + i],
          }),
        );
        handles.push(...(await Promise.all(batch)));
      }
      const results = await Promise.all(handles.map((handle) => handle.result()));
      const seconds = (performance.now() - started) / 1000;
      const tree = cpuSecondsOfTree() - treeBefore;
      cpu.bench = processCpuSeconds() - benchBefore;
      cpu.server = tree - cpu.bench;
      const wrong = results.filter((result, i) => result !== `${i}:first+${i}:second`);
      if (wrong.length > 0)
        throw new Error(`${wrong.length} workflows returned a wrong result, e.g. ${wrong[0]}`);
      await testService.lockTimeSkipping({});
      return seconds;
    });

    const perSecond = count / elapsed;
    // The target is stated for 1,000 workflows; for other counts, scale it linearly.
    const budget = (TARGET_SECONDS * count) / TARGET_WORKFLOWS;
    console.log(
      `server: ${serverUnderTest()}; worker: ${WORKFLOW_THREADS} workflow threads; ` +
        `setup (server, worker, bundle): ${setupSeconds.toFixed(1)} s`,
    );
    console.log(
      `${count} workflows x (3 one-day timers + 2 activities): ${elapsed.toFixed(2)} s wall time, ` +
        `${(cpu.bench + cpu.server).toFixed(1)} s CPU (bench process: client and SDK worker ${cpu.bench.toFixed(1)} s, ` +
        `server ${cpu.server.toFixed(1)} s)`,
    );
    console.log(`${perSecond.toFixed(1)} workflows/s`);
    console.log(
      `target: ${count} workflows in < ${budget.toFixed(1)} s on 2 cores -> ${elapsed < budget ? 'PASS' : 'MISS'}`,
    );
  } finally {
    await env.teardown();
  }
}

await main();
