// Temporal's TestService: virtual time, env.sleep, skipping only when idle, and the 30-day scenario.
import { msToTs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, newActivityLog } from './activities';
import { createTestEnv, createWorker, uniqueName, waitUntil } from './env';
import { raceActivityAgainstTimer } from './workflows/activities';
import { approve, sleeper, stageQuery } from './workflows/basics';
import { monthLongApproval } from './workflows/scenarios';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

describe('time skipping', () => {
  it('reports the current virtual time and env.sleep advances it at once', async () => {
    const before = await env.currentTimeMs();
    // The virtual clock starts at (roughly) wall-clock time.
    expect(Math.abs(before - Date.now())).toBeLessThan(DAY);
    const wallStart = performance.now();
    await env.sleep('3 days');
    const wallMs = performance.now() - wallStart;
    const after = await env.currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(3 * DAY);
    expect(after - before).toBeLessThan(3 * DAY + HOUR);
    expect(wallMs).toBeLessThan(5_000);
  });

  it('keeps time locked while nobody waits, and env.sleep fires the timers it passes', async () => {
    const taskQueue = uniqueName('locked');
    const worker = await createWorker(env, { taskQueue, activities: createActivities(newActivityLog()) });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(sleeper, {
        taskQueue,
        workflowId: uniqueName('locked'),
        args: ['1 hour'],
      });
      // Nobody awaits a result: time must not jump to the timer.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await env.sleep('2 hours');
      await waitUntil(
        async () => (await handle.describe()).status.name,
        (status) => status === 'COMPLETED',
        'the timer to fire during env.sleep',
      );
      expect(await handle.result()).toBeGreaterThanOrEqual(HOUR);
    });
  });

  it('counts locks, refuses an unbalanced unlock, and serves Sleep/SleepUntil while unlocked', async () => {
    const testService = env.connection.testService;
    if (!testService) throw new Error('the environment has no TestService');
    // The server starts locked with a counter of 1.
    await testService.unlockTimeSkipping({});
    let locked = false;
    try {
      await expect(testService.unlockTimeSkipping({})).rejects.toThrow();
      const before = await env.currentTimeMs();
      const wallStart = performance.now();
      await testService.sleep({ duration: msToTs(DAY) });
      const afterSleep = await env.currentTimeMs();
      expect(afterSleep - before).toBeGreaterThanOrEqual(DAY);
      const target = afterSleep + 2 * DAY;
      await testService.sleepUntil({ timestamp: msToTs(target) });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(target);
      // A timestamp in the past returns at once and does not move the clock back.
      const now = await env.currentTimeMs();
      await testService.sleepUntil({ timestamp: msToTs(before) });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(now);
      expect(performance.now() - wallStart).toBeLessThan(5_000);
      await testService.lockTimeSkipping({});
      locked = true;
    } finally {
      if (!locked) await testService.lockTimeSkipping({});
    }
  });

  it('does not skip time while an activity is running', async () => {
    const taskQueue = uniqueName('race');
    const worker = await createWorker(env, { taskQueue, activities: createActivities(newActivityLog()) });
    await worker.runUntil(async () => {
      const winner = await env.client.workflow.execute(raceActivityAgainstTimer, {
        taskQueue,
        workflowId: uniqueName('race'),
        args: [1_000],
      });
      expect(winner).toBe('activity');
    });
  });

  it('sleeps 30 days, retries an activity, waits for a signal and answers a query, in well under 10 s', async () => {
    const taskQueue = uniqueName('month');
    const log = newActivityLog();
    const worker = await createWorker(env, { taskQueue, activities: createActivities(log) });
    await worker.runUntil(async () => {
      const virtualStart = await env.currentTimeMs();
      const wallStart = performance.now();
      const handle = await env.client.workflow.start(monthLongApproval, {
        taskQueue,
        workflowId: uniqueName('month'),
      });
      const result = handle.result();
      await waitUntil(
        () => handle.query(stageQuery),
        (stage) => stage === 'waiting for approval',
        'the workflow to wait for approval',
      );
      await handle.signal(approve, 'Direttrice');
      expect(await result).toEqual({ attempt: 3, approvedBy: 'Direttrice', daysElapsed: 30 });
      const wallMs = performance.now() - wallStart;
      console.log(`30-day workflow completed in ${wallMs.toFixed(0)} ms of wall time`);
      expect(wallMs).toBeLessThan(10_000);
      expect((await env.currentTimeMs()) - virtualStart).toBeGreaterThanOrEqual(30 * DAY);
      expect(log.calls.failTwice).toBe(3);
      expect(await handle.query(stageQuery)).toBe('approved');
    });
  });
});
