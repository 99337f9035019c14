// Workflow-side commands: timers, child workflows, external workflows, continue-as-new, markers,
// memo and search attributes, workflow timeouts, workflow task failure and retry.
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import { ParentClosePolicy } from '@temporalio/workflow';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, newActivityLog, type ActivityLog } from './activities';
import { createTestEnv, createWorker, eventTypes, uniqueName, waitUntil } from './env';
import { approve, signalOrDeadline, sleeper, stageQuery, waitForApproval } from './workflows/basics';
import {
  cancelExternal,
  duplicateChild,
  parentOf,
  parentWithPolicy,
  signalExternal,
  signalMissing,
} from './workflows/children';
import {
  continueEvery10Hours,
  countdown,
  customInt,
  customKeyword,
  failsUntilFixed,
  upsertProperties,
  withMarkers,
} from './workflows/features';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

async function withWorker<T>(body: (taskQueue: string, log: ActivityLog) => Promise<T>): Promise<T> {
  const taskQueue = uniqueName('workflows');
  const log = newActivityLog();
  const worker = await createWorker(env, { taskQueue, activities: createActivities(log) });
  return worker.runUntil(body(taskQueue, log));
}

async function failureOf(result: Promise<unknown>): Promise<WorkflowFailedError> {
  const error = await result.then(
    () => new Error('workflow completed but was expected to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  return error as WorkflowFailedError;
}

function describeStatus(workflowId: string, runId?: string) {
  return async () => (await env.client.workflow.getHandle(workflowId, runId).describe()).status.name;
}

describe('timers', () => {
  it('fires a one-day timer in virtual time', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(sleeper, {
        taskQueue,
        workflowId: uniqueName('timer'),
        args: ['1 day'],
      });
      expect(await handle.result()).toBeGreaterThanOrEqual(DAY);
      const types = await eventTypes(handle);
      expect(types).toContain('TIMER_STARTED');
      expect(types).toContain('TIMER_FIRED');
    });
  });

  it('cancels a timer when the signal wins, and fires it when nobody signals', async () => {
    await withWorker(async (taskQueue) => {
      const signalled = await env.client.workflow.start(signalOrDeadline, {
        taskQueue,
        workflowId: uniqueName('timer-cancel'),
        args: ['1 day'],
      });
      await waitUntil(
        () => eventTypes(signalled),
        (types) => types.includes('TIMER_STARTED'),
        'the deadline timer to start',
      );
      await signalled.signal(approve, 'in time');
      expect(await signalled.result()).toBe('signalled');
      const types = await eventTypes(signalled);
      expect(types).toContain('TIMER_CANCELED');
      expect(types).not.toContain('TIMER_FIRED');

      const expired = await env.client.workflow.execute(signalOrDeadline, {
        taskQueue,
        workflowId: uniqueName('timer-expire'),
        args: ['1 day'],
      });
      expect(expired).toBe('deadline');
    });
  });
});

describe('child workflows', () => {
  it('runs a child to completion', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('parent');
      const handle = await env.client.workflow.start(parentOf, { taskQueue, workflowId, args: ['complete'] });
      expect(await handle.result()).toBe('child said hello');
      const types = await eventTypes(handle);
      expect(types).toEqual(
        expect.arrayContaining([
          'START_CHILD_WORKFLOW_EXECUTION_INITIATED',
          'CHILD_WORKFLOW_EXECUTION_STARTED',
          'CHILD_WORKFLOW_EXECUTION_COMPLETED',
        ]),
      );
      const child = await env.client.workflow.getHandle(`${workflowId}-child`).describe();
      expect(child.status.name).toBe('COMPLETED');
      expect(child.parentExecution?.workflowId).toBe(workflowId);
    });
  });

  it('propagates a child failure as ChildWorkflowFailure with the original cause', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(parentOf, {
        taskQueue,
        workflowId: uniqueName('parent-fail'),
        args: ['fail'],
      });
      expect(await handle.result()).toBe('caught ChildBoom');
      expect(await eventTypes(handle)).toContain('CHILD_WORKFLOW_EXECUTION_FAILED');
    });
  });

  it('cancels a running child and waits for its cancellation', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('parent-cancel');
      const handle = await env.client.workflow.start(parentOf, { taskQueue, workflowId, args: ['cancel'] });
      expect(await handle.result()).toBe('child cancelled');
      expect(await eventTypes(handle)).toEqual(
        expect.arrayContaining([
          'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
          'CHILD_WORKFLOW_EXECUTION_CANCELED',
        ]),
      );
      expect(await describeStatus(`${workflowId}-child`)()).toBe('CANCELLED');
    });
  });

  it('refuses a second child with the id of a running one', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('parent-duplicate');
      const handle = await env.client.workflow.start(duplicateChild, { taskQueue, workflowId });
      expect(await handle.result()).toBe(`already started: ${workflowId}-child`);
      expect(await eventTypes(handle)).toContain('START_CHILD_WORKFLOW_EXECUTION_FAILED');
      // The parent closed with the default TERMINATE policy: the first child went with it.
      await waitUntil(describeStatus(`${workflowId}-child`), (s) => s === 'TERMINATED', 'child TERMINATED');
    });
  });

  const policies: [ParentClosePolicy, string][] = [
    [ParentClosePolicy.TERMINATE, 'TERMINATED'],
    [ParentClosePolicy.REQUEST_CANCEL, 'CANCELLED'],
    [ParentClosePolicy.ABANDON, 'RUNNING'],
  ];
  it.each(policies)('applies parent close policy %s to the child', async (policy, childStatus) => {
    await withWorker(async (taskQueue) => {
      const childId = await env.client.workflow.execute(parentWithPolicy, {
        taskQueue,
        workflowId: uniqueName(`policy-${policy}`),
        args: [policy],
      });
      await waitUntil(describeStatus(childId), (status) => status === childStatus, `child ${childStatus}`);
      if (childStatus === 'RUNNING') {
        // Abandoned means left alone for good, not merely late: it must still run after a while.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await describeStatus(childId)()).toBe('RUNNING');
        await env.client.workflow.getHandle(childId).terminate('cleanup');
      }
    });
  });
});

describe('external workflows', () => {
  async function startTarget(taskQueue: string): Promise<WorkflowHandle<typeof waitForApproval>> {
    const target = await env.client.workflow.start(waitForApproval, {
      taskQueue,
      workflowId: uniqueName('target'),
    });
    expect(await target.query(stageQuery)).toBe('waiting');
    return target;
  }

  it('signals another workflow', async () => {
    await withWorker(async (taskQueue) => {
      const target = await startTarget(taskQueue);
      const sender = await env.client.workflow.start(signalExternal, {
        taskQueue,
        workflowId: uniqueName('sender'),
        args: [target.workflowId],
      });
      await sender.result();
      expect(await target.result()).toBe('approved by external workflow');
      expect(await eventTypes(sender)).toEqual(
        expect.arrayContaining([
          'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
          'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED',
        ]),
      );
    });
  });

  it('fails a signal to a workflow that does not exist', async () => {
    await withWorker(async (taskQueue) => {
      const sender = await env.client.workflow.start(signalMissing, {
        taskQueue,
        workflowId: uniqueName('sender-missing'),
        args: [uniqueName('nobody')],
      });
      expect(await sender.result()).toMatch(/not found/i);
      const history = await sender.fetchHistory();
      const failed = history.events?.find((e) => e.signalExternalWorkflowExecutionFailedEventAttributes);
      // SignalExternalWorkflowExecutionFailedCause 1 = EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND.
      expect(failed?.signalExternalWorkflowExecutionFailedEventAttributes?.cause).toBe(1);
    });
  });

  it('requests cancellation of another workflow', async () => {
    await withWorker(async (taskQueue) => {
      const target = await startTarget(taskQueue);
      const canceller = await env.client.workflow.start(cancelExternal, {
        taskQueue,
        workflowId: uniqueName('canceller'),
        args: [target.workflowId],
      });
      await canceller.result();
      const error = await failureOf(target.result());
      expect(error.cause).toBeInstanceOf(CancelledFailure);
      expect(await eventTypes(canceller)).toEqual(
        expect.arrayContaining([
          'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
          'EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED',
        ]),
      );
    });
  });
});

describe('continue-as-new', () => {
  it('chains runs and result() follows them to the last one', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('countdown');
      const handle = await env.client.workflow.start(countdown, { taskQueue, workflowId, args: [3, []] });
      expect(await handle.result()).toEqual([3, 2, 1]);
      const firstRun = env.client.workflow.getHandle(workflowId, handle.firstExecutionRunId);
      expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
      expect((await eventTypes(firstRun)).at(-1)).toBe('WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
      const latest = await env.client.workflow.getHandle(workflowId).describe();
      expect(latest.runId).not.toBe(handle.firstExecutionRunId);
      expect(latest.status.name).toBe('COMPLETED');
    });
  });
});

describe('markers, memo and search attributes', () => {
  it('records patch and local-activity markers', async () => {
    await withWorker(async (taskQueue, log) => {
      const handle = await env.client.workflow.start(withMarkers, {
        taskQueue,
        workflowId: uniqueName('markers'),
      });
      expect(await handle.result()).toBe('patched:local');
      expect(log.calls.echo).toBe(1);
      const history = await handle.fetchHistory();
      const markerNames = (history.events ?? [])
        .map((e) => e.markerRecordedEventAttributes?.markerName)
        .filter((name): name is string => typeof name === 'string');
      expect(markerNames).toEqual(expect.arrayContaining(['core_patch', 'core_local_activity']));
    });
  });

  it('upserts memo and search attributes, visible to describe and to the workflow', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(upsertProperties, {
        taskQueue,
        workflowId: uniqueName('upsert'),
        memo: { stage: 'one', owner: 'conformance' },
        typedSearchAttributes: [{ key: customKeyword, value: 'initial' }],
      });
      expect(await handle.result()).toEqual({ stage: 'two', owner: 'conformance' });
      const description = await handle.describe();
      expect(description.memo).toEqual({ stage: 'two', owner: 'conformance' });
      expect(description.typedSearchAttributes.get(customKeyword)).toBe('initial');
      expect(description.typedSearchAttributes.get(customInt)).toBe(42);
      const types = await eventTypes(handle);
      expect(types).toContain('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
      expect(types).toContain('WORKFLOW_PROPERTIES_MODIFIED');
    });
  });
});

describe('workflow timeouts', () => {
  it('times out a run that outlives its run timeout', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(sleeper, {
        taskQueue,
        workflowId: uniqueName('run-timeout'),
        args: ['2 days'],
        workflowRunTimeout: '1 day',
      });
      const error = await failureOf(handle.result());
      expect(error.cause).toBeInstanceOf(TimeoutFailure);
      expect((await handle.describe()).status.name).toBe('TIMED_OUT');
      expect((await eventTypes(handle)).at(-1)).toBe('WORKFLOW_EXECUTION_TIMED_OUT');
    });
  });

  it('times out a chain of continued runs at the execution timeout', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('execution-timeout');
      const started = await env.currentTimeMs();
      const handle = await env.client.workflow.start(continueEvery10Hours, {
        taskQueue,
        workflowId,
        args: [1],
        workflowExecutionTimeout: '1 day',
      });
      const error = await failureOf(handle.result());
      expect(error.cause).toBeInstanceOf(TimeoutFailure);
      // Runs start at 0h, 10h and 20h; the third is cut at 24h, before its 30h timer.
      const runs = [];
      for await (const info of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        runs.push(info.status.name);
      }
      expect(runs.sort()).toEqual(['CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'TIMED_OUT']);
      const elapsed = (await env.currentTimeMs()) - started;
      expect(elapsed).toBeGreaterThanOrEqual(DAY);
      expect(elapsed).toBeLessThan(30 * HOUR);
    });
  });
});

describe('workflow task failure', () => {
  it('retries a failing workflow task until the fix is deployed', async () => {
    await withWorker(async (taskQueue, log) => {
      const handle = await env.client.workflow.start(failsUntilFixed, {
        taskQueue,
        workflowId: uniqueName('task-failure'),
        // The SDK reports only the first failure of a task; later attempts fail silently and are retried
        // when the task times out, so a short task timeout keeps the test fast.
        workflowTaskTimeout: '2 seconds',
      });
      const history = await waitUntil(
        () => handle.fetchHistory(),
        (h) => (h.events ?? []).some((e) => e.workflowTaskFailedEventAttributes),
        'a WORKFLOW_TASK_FAILED event',
      );
      const failed = history.events?.find((e) => e.workflowTaskFailedEventAttributes);
      expect(failed?.workflowTaskFailedEventAttributes?.failure?.message).toContain('bug: not fixed yet');
      expect((await handle.describe()).status.name).toBe('RUNNING');

      log.fixed = true;
      expect(await handle.result()).toBe('fixed');
      expect(log.calls.isFixed).toBeGreaterThanOrEqual(2);
      expect((await eventTypes(handle)).at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    });
  });
});
