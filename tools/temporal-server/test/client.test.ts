// Client-facing WorkflowService semantics: start policies, request-id dedup, signals, queries, describe,
// terminate, cancel and the long poll behind handle.result().
import { randomUUID } from 'node:crypto';
import {
  CancelledFailure,
  TerminatedFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, newActivityLog } from './activities';
import { createTestEnv, createWorker, eventTypes, uniqueName } from './env';
import { add, approve, collect, echo, failWith, stageQuery, waitForApproval } from './workflows/basics';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

/** Runs `body` while a real worker polls a fresh task queue. */
async function withWorker<T>(body: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueName('client');
  const worker = await createWorker(env, { taskQueue, activities: createActivities(newActivityLog()) });
  return worker.runUntil(body(taskQueue));
}

describe('start', () => {
  it('runs a workflow to completion with the expected history', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(echo, {
        taskQueue,
        workflowId: uniqueName('echo'),
        args: ['ciao'],
      });
      expect(await handle.result()).toBe('ciao');
      expect(await eventTypes(handle)).toEqual([
        'WORKFLOW_EXECUTION_STARTED',
        'WORKFLOW_TASK_SCHEDULED',
        'WORKFLOW_TASK_STARTED',
        'WORKFLOW_TASK_COMPLETED',
        'WORKFLOW_EXECUTION_COMPLETED',
      ]);
    });
  });

  it('rejects a second start of a running id with WorkflowExecutionAlreadyStartedError', async () => {
    const taskQueue = uniqueName('no-worker');
    const workflowId = uniqueName('dup');
    const first = await env.client.workflow.start(waitForApproval, { taskQueue, workflowId });
    const second = env.client.workflow.start(waitForApproval, { taskQueue, workflowId });
    await expect(second).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    await expect(second).rejects.toMatchObject({ workflowId, workflowType: 'waitForApproval' });
    expect((await first.describe()).status.name).toBe('RUNNING');
    await first.terminate('cleanup');
  });

  it('honours the id conflict policies USE_EXISTING and TERMINATE_EXISTING', async () => {
    const taskQueue = uniqueName('no-worker');
    const workflowId = uniqueName('conflict');
    const first = await env.client.workflow.start(waitForApproval, { taskQueue, workflowId });

    const existing = await env.client.workflow.start(waitForApproval, {
      taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    expect(existing.firstExecutionRunId).toBe(first.firstExecutionRunId);

    const replacement = await env.client.workflow.start(waitForApproval, {
      taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
    });
    expect(replacement.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
    const old = env.client.workflow.getHandle(workflowId, first.firstExecutionRunId);
    expect((await old.describe()).status.name).toBe('TERMINATED');
    expect((await replacement.describe()).status.name).toBe('RUNNING');
    await replacement.terminate('cleanup');
  });

  it('honours the id reuse policies once the previous run is closed', async () => {
    await withWorker(async (taskQueue) => {
      const completedId = uniqueName('reuse-completed');
      await env.client.workflow.execute(echo, { taskQueue, workflowId: completedId, args: ['one'] });
      await expect(
        env.client.workflow.start(echo, {
          taskQueue,
          workflowId: completedId,
          args: ['two'],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await expect(
        env.client.workflow.start(echo, {
          taskQueue,
          workflowId: completedId,
          args: ['two'],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      const again = await env.client.workflow.execute(echo, {
        taskQueue,
        workflowId: completedId,
        args: ['three'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      expect(again).toBe('three');

      const failedId = uniqueName('reuse-failed');
      await expect(
        env.client.workflow.execute(failWith, { taskQueue, workflowId: failedId, args: ['First'] }),
      ).rejects.toBeInstanceOf(WorkflowFailedError);
      const retried = await env.client.workflow.execute(echo, {
        taskQueue,
        workflowId: failedId,
        args: ['after failure'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      expect(retried).toBe('after failure');
    });
  });

  it('deduplicates a repeated start with the same request id and rejects a different one', async () => {
    const service = env.connection.workflowService;
    const workflowId = uniqueName('request-id');
    const request = {
      namespace: 'default',
      workflowId,
      workflowType: { name: 'waitForApproval' },
      taskQueue: { name: uniqueName('no-worker') },
      requestId: randomUUID(),
      identity: 'conformance-suite',
    };
    const first = await service.startWorkflowExecution(request);
    const repeated = await service.startWorkflowExecution(request);
    expect(first.runId).toBeTruthy();
    expect(repeated.runId).toBe(first.runId);
    // gRPC ALREADY_EXISTS (6) carries WorkflowExecutionAlreadyStartedFailure details.
    await expect(
      service.startWorkflowExecution({ ...request, requestId: randomUUID() }),
    ).rejects.toMatchObject({
      code: 6,
    });
    const handle = env.client.workflow.getHandle(workflowId);
    expect(await eventTypes(handle)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED']);
    await handle.terminate('cleanup');
  });
});

describe('signals and queries', () => {
  it('delivers a signal and answers queries before and after completion', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(waitForApproval, {
        taskQueue,
        workflowId: uniqueName('signal'),
      });
      expect(await handle.query(stageQuery)).toBe('waiting');
      await handle.signal(approve, 'Anna');
      expect(await handle.result()).toBe('approved by Anna');
      // A closed workflow is still queryable: the worker replays its history to answer.
      expect(await handle.query(stageQuery)).toBe('approved');
      const history = await handle.fetchHistory();
      const signalled = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
      expect(signalled?.workflowExecutionSignaledEventAttributes?.signalName).toBe('approve');
    });
  });

  it('signal-with-start starts once, then signals the same run', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('sws');
      const first = await env.client.workflow.signalWithStart(collect, {
        taskQueue,
        workflowId,
        args: [3],
        signal: add,
        signalArgs: ['a'],
      });
      const second = await env.client.workflow.signalWithStart(collect, {
        taskQueue,
        workflowId,
        args: [3],
        signal: add,
        signalArgs: ['b'],
      });
      expect(second.signaledRunId).toBe(first.signaledRunId);
      await first.signal(add, 'c');
      expect(await first.result()).toEqual(['a', 'b', 'c']);
      const types = await eventTypes(first);
      expect(types.slice(0, 2)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED']);
      expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_SIGNALED')).toHaveLength(3);
    });
  });
});

describe('describe, terminate, cancel, result', () => {
  it('describes a running and then a completed execution', async () => {
    await withWorker(async (taskQueue) => {
      const workflowId = uniqueName('describe');
      const handle = await env.client.workflow.start(waitForApproval, { taskQueue, workflowId });
      const running = await handle.describe();
      expect(running).toMatchObject({
        workflowId,
        runId: handle.firstExecutionRunId,
        type: 'waitForApproval',
        taskQueue,
        status: { name: 'RUNNING' },
      });
      expect(running.closeTime).toBeUndefined();
      expect(Math.abs(running.startTime.getTime() - (await env.currentTimeMs()))).toBeLessThan(60_000);

      await handle.signal(approve, 'Bruno');
      await handle.result();
      const closed = await handle.describe();
      expect(closed.status.name).toBe('COMPLETED');
      expect(closed.closeTime).toBeInstanceOf(Date);
      expect(closed.historyLength).toBe((await eventTypes(handle)).length);
    });
  });

  it('reports an unknown workflow with WorkflowNotFoundError', async () => {
    const handle = env.client.workflow.getHandle(uniqueName('missing'));
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await expect(handle.signal(approve, 'nobody')).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('refuses to signal or terminate a closed workflow with WorkflowNotFoundError', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(echo, {
        taskQueue,
        workflowId: uniqueName('closed'),
        args: ['x'],
      });
      await handle.result();
      await expect(handle.signal(approve, 'late')).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(handle.terminate('late')).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect((await eventTypes(handle)).at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    });
  });

  it('terminates a running workflow', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(waitForApproval, {
        taskQueue,
        workflowId: uniqueName('terminate'),
      });
      await handle.query(stageQuery); // the first workflow task has run
      await handle.terminate('no longer needed');
      const error = await handle.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(TerminatedFailure);
      expect((error as WorkflowFailedError).message).toBe('no longer needed');
      expect((await handle.describe()).status.name).toBe('TERMINATED');
      expect((await eventTypes(handle)).at(-1)).toBe('WORKFLOW_EXECUTION_TERMINATED');
    });
  });

  it('cancels a running workflow on request', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(waitForApproval, {
        taskQueue,
        workflowId: uniqueName('cancel'),
      });
      await handle.query(stageQuery);
      await handle.cancel();
      const error = await handle.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await handle.describe()).status.name).toBe('CANCELLED');
      const types = await eventTypes(handle);
      expect(types).toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
      expect(types.at(-1)).toBe('WORKFLOW_EXECUTION_CANCELED');
    });
  });

  it('result() long-polls until the workflow closes', async () => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(waitForApproval, {
        taskQueue,
        workflowId: uniqueName('long-poll'),
      });
      let settled = false;
      const result = handle.result().finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(settled).toBe(false);
      await handle.signal(approve, 'Carla');
      expect(await result).toBe('approved by Carla');
    });
  });

  it('answers an unsupported method with UNIMPLEMENTED naming it', async () => {
    // Schedules are out of scope for the offline server (and for Temporal's test server).
    const error = await env.connection.workflowService.listSchedules({ namespace: 'default' }).then(
      () => new Error('listSchedules unexpectedly succeeded'),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 12 });
    expect((error as Error).message).toMatch(/ListSchedules/);
  });

  it('surfaces a workflow failure with its ApplicationFailure cause', async () => {
    await withWorker(async (taskQueue) => {
      const error = await env.client.workflow
        .execute(failWith, { taskQueue, workflowId: uniqueName('fail'), args: ['BusinessRule'] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const cause = (error as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe('BusinessRule');
    });
  });
});
