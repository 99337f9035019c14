// Worker lifecycle against the server: shutdown, replacing a worker mid-workflow, caching on and off.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, newActivityLog } from './activities';
import {
  createTestEnv,
  createWorker,
  eventTypes,
  uniqueName,
  waitUntil,
  workflowTaskQueueKinds,
} from './env';
import { approve, stageQuery } from './workflows/basics';
import { manyTasks, twoStepsWithApproval } from './workflows/scenarios';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

describe('worker lifecycle', () => {
  it('shuts a worker down cleanly; work waits on the queue for the next worker', async () => {
    const taskQueue = uniqueName('shutdown');
    const log = newActivityLog();
    const first = await createWorker(env, { taskQueue, activities: createActivities(log) });
    const running = first.run();
    await waitUntil(
      () => first.getState(),
      (state) => state === 'RUNNING',
      'the worker to run',
    );
    first.shutdown();
    await running;
    expect(first.getState()).toBe('STOPPED');

    const handle = await env.client.workflow.start(twoStepsWithApproval, {
      taskQueue,
      workflowId: uniqueName('after-shutdown'),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await eventTypes(handle)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED']);

    const second = await createWorker(env, { taskQueue, activities: createActivities(log) });
    await second.runUntil(async () => {
      await waitUntil(
        () => handle.query(stageQuery),
        (stage) => stage === 'waiting for approval',
        'the workflow to wait for approval',
      );
      await handle.signal(approve, 'after restart');
      expect(await handle.result()).toEqual(['reserve done', 'ship done']);
    });
  });

  it('continues a workflow on a new worker without repeating a completed activity', async () => {
    const taskQueue = uniqueName('restart');
    const log = newActivityLog();
    const handle = await env.client.workflow.start(twoStepsWithApproval, {
      taskQueue,
      workflowId: uniqueName('restart'),
    });

    const first = await createWorker(env, { taskQueue, activities: createActivities(log) });
    await first.runUntil(
      waitUntil(
        () => eventTypes(handle),
        (types) => types.includes('ACTIVITY_TASK_COMPLETED') && types.at(-1) === 'WORKFLOW_TASK_COMPLETED',
        'the first activity to complete',
      ),
    );
    expect(log.calls).toEqual({ reserve: 1 });
    // The caching worker took its tasks on its sticky queue.
    expect(await workflowTaskQueueKinds(handle)).toContain('STICKY');

    // The first worker (and its cache of the workflow) is gone; a fresh one must rebuild state from history.
    const second = await createWorker(env, { taskQueue, activities: createActivities(log) });
    await second.runUntil(async () => {
      expect(await handle.query(stageQuery)).toBe('waiting for approval');
      await handle.signal(approve, 'ops');
      expect(await handle.result()).toEqual(['reserve done', 'ship done']);
    });
    expect(log.calls).toEqual({ reserve: 1, ship: 1 });
    // Shutdown told the server (ShutdownWorker) that the sticky queue is gone: the task after the signal went
    // straight to the normal queue instead of timing out on the dead sticky queue first.
    const types = await eventTypes(handle);
    expect(types).not.toContain('WORKFLOW_TASK_TIMED_OUT');
    const kinds = await workflowTaskQueueKinds(handle);
    const signalled = types.indexOf('WORKFLOW_EXECUTION_SIGNALED');
    const scheduledAfterSignal = types
      .slice(0, signalled)
      .filter((t) => t === 'WORKFLOW_TASK_SCHEDULED').length;
    expect(kinds[scheduledAfterSignal]).toBe('NORMAL');
  });

  it.each([
    ['on (default cache)', undefined],
    ['off (maxCachedWorkflows: 0)', 0],
  ])('runs workflows with worker caching %s', async (_label, maxCachedWorkflows) => {
    const taskQueue = uniqueName('cache');
    const log = newActivityLog();
    const worker = await createWorker(env, {
      taskQueue,
      activities: createActivities(log),
      ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
    });
    const many = await worker.runUntil(async () => {
      const many = await env.client.workflow.start(manyTasks, {
        taskQueue,
        workflowId: uniqueName('many'),
        args: [3],
      });
      expect(await many.result()).toEqual(['round-0 done', 'round-1 done', 'round-2 done']);
      expect((await eventTypes(many)).filter((t) => t === 'TIMER_FIRED')).toHaveLength(3);

      const approval = await env.client.workflow.start(twoStepsWithApproval, {
        taskQueue,
        workflowId: uniqueName('cache-approval'),
      });
      await waitUntil(
        () => approval.query(stageQuery),
        (stage) => stage === 'waiting for approval',
        'the workflow to wait for approval',
      );
      await approval.signal(approve, 'cache test');
      expect(await approval.result()).toEqual(['reserve done', 'ship done']);
      return many;
    });
    // Without a cache every task must go to the normal queue with full history; with it, to the sticky queue.
    const kinds = await workflowTaskQueueKinds(many);
    if (maxCachedWorkflows === 0) expect(new Set(kinds)).toEqual(new Set(['NORMAL']));
    else expect(kinds.slice(1)).toContain('STICKY');
    expect(log.calls).toEqual({ 'round-0': 1, 'round-1': 1, 'round-2': 1, reserve: 1, ship: 1 });
  });
});
