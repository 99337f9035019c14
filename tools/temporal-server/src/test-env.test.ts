import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { quietSdkLogs } from '../test/env.js';
import * as activities from './smoke/activities.js';
import { approve, monthLong, stateQuery } from './smoke/workflows.js';

const testServer = fileURLToPath(new URL('../bin/test-server', import.meta.url));
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  quietSdkLogs();
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer } },
  });
});
afterAll(async () => {
  await env?.teardown();
});

it('serves TestWorkflowEnvironment.createTimeSkipping through bin/test-server', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'env',
    workflowsPath: fileURLToPath(new URL('./smoke/workflows.ts', import.meta.url)),
    activities,
  });
  const started = Date.now();
  const before = await env.currentTimeMs();
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(monthLong, {
      args: ['Crema'],
      taskQueue: 'env',
      workflowId: 'env-1',
    });
    // Locked time: the 30-day sleep does not elapse while the test is not waiting on a result.
    expect(await handle.query(stateQuery)).toBe('sleeping');
    // env.sleep stops at its target even though a later timer is due and nothing else is pending.
    await env.sleep('1 day');
    const afterOneDay = (await env.currentTimeMs()) - before;
    expect(afterOneDay).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(afterOneDay).toBeLessThan(25 * 3600 * 1000);
    expect(await handle.query(stateQuery)).toBe('sleeping');
    await env.sleep('30 days');
    await handle.signal(approve, 'sindaco');
    expect(await handle.result()).toBe('hello Crema after 3 attempts, approved by sindaco');
  });
  expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(31 * 24 * 3600 * 1000);
  // 31 virtual days in seconds of wall time (generous: the suite shares 2 cores with other tests).
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('begins virtual time where --start-at says, in the past too, and runs timers from there', async () => {
  const past = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: testServer },
      extraArgs: ['--start-at', '2020-02-03T08:00:00Z'],
    },
  });
  try {
    const at = await past.currentTimeMs();
    expect(at).toBeGreaterThanOrEqual(Date.parse('2020-02-03T08:00:00Z'));
    expect(at).toBeLessThan(Date.parse('2020-02-03T08:05:00Z'));
    await past.sleep('2 days');
    expect(new Date(await past.currentTimeMs()).toISOString().slice(0, 10)).toBe('2020-02-05');
  } finally {
    await past.teardown();
  }
});
