// Activity semantics: completion, retry policy, heartbeat details, the four timeouts, cancellation.
import { WorkflowFailedError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  defaultPayloadConverter,
  TimeoutFailure,
  type TimeoutType,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, newActivityLog, type ActivityLog } from './activities';
import { createTestEnv, createWorker, eventTypes, uniqueName, waitUntil } from './env';
import {
  cancelNow,
  cancelRunningActivity,
  exhaustRetries,
  heartbeatResume,
  hitTimeout,
  retryUntilSuccess,
  runEcho,
  type TimeoutKind,
} from './workflows/activities';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

async function withWorker<T>(
  body: (taskQueue: string, log: ActivityLog) => Promise<T>,
  options: Omit<WorkerOptions, 'connection' | 'taskQueue' | 'activities'> = {},
): Promise<T> {
  const taskQueue = uniqueName('activities');
  const log = newActivityLog();
  const worker = await createWorker(env, { taskQueue, activities: createActivities(log), ...options });
  return worker.runUntil(body(taskQueue, log));
}

/** The activity failure inside a failed workflow: WorkflowFailedError -> ActivityFailure -> cause. */
async function activityFailureOf(result: Promise<unknown>): Promise<ActivityFailure> {
  const error = await result.then(
    () => new Error('workflow completed but was expected to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ActivityFailure);
  return cause as ActivityFailure;
}

describe('activities', () => {
  it('completes an activity and records scheduled/started/completed events', async () => {
    await withWorker(async (taskQueue, log) => {
      const handle = await env.client.workflow.start(runEcho, {
        taskQueue,
        workflowId: uniqueName('echo'),
        args: ['from activity'],
      });
      expect(await handle.result()).toBe('from activity');
      expect(log.calls.echo).toBe(1);
      const types = await eventTypes(handle);
      expect(types).toEqual(
        expect.arrayContaining([
          'ACTIVITY_TASK_SCHEDULED',
          'ACTIVITY_TASK_STARTED',
          'ACTIVITY_TASK_COMPLETED',
        ]),
      );
      expect(types.indexOf('ACTIVITY_TASK_SCHEDULED')).toBeLessThan(types.indexOf('ACTIVITY_TASK_STARTED'));
      expect(types.indexOf('ACTIVITY_TASK_STARTED')).toBeLessThan(types.indexOf('ACTIVITY_TASK_COMPLETED'));
    });
  });

  it('retries a failing activity per its retry policy, skipping the backoff in virtual time', async () => {
    await withWorker(async (taskQueue, log) => {
      const before = await env.currentTimeMs();
      const handle = await env.client.workflow.start(retryUntilSuccess, {
        taskQueue,
        workflowId: uniqueName('retry'),
      });
      expect(await handle.result()).toBe(3);
      expect(log.calls.failTwice).toBe(3);
      // Two backoffs of one hour each passed in virtual time.
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * 60 * 60 * 1000);
      // Retries are not in history: one schedule, one start (the last attempt), one completion.
      const types = await eventTypes(handle);
      expect(types.filter((t) => t.startsWith('ACTIVITY_TASK_'))).toEqual([
        'ACTIVITY_TASK_SCHEDULED',
        'ACTIVITY_TASK_STARTED',
        'ACTIVITY_TASK_COMPLETED',
      ]);
      const history = await handle.fetchHistory();
      const started = history.events?.find((e) => e.activityTaskStartedEventAttributes);
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(3);
    });
  });

  it('gives up after maximumAttempts and reports the last ApplicationFailure', async () => {
    await withWorker(async (taskQueue, log) => {
      const failure = await activityFailureOf(
        env.client.workflow.execute(exhaustRetries, {
          taskQueue,
          workflowId: uniqueName('exhaust'),
          args: [false],
        }),
      );
      expect(failure.activityType).toBe('alwaysFail');
      expect(failure.cause).toBeInstanceOf(ApplicationFailure);
      expect((failure.cause as ApplicationFailure).type).toBe('Boom');
      expect(failure.retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
      expect(log.attempts).toEqual([1, 2, 3]);
    });
  });

  it('does not retry a non-retryable failure', async () => {
    await withWorker(async (taskQueue, log) => {
      const failure = await activityFailureOf(
        env.client.workflow.execute(exhaustRetries, {
          taskQueue,
          workflowId: uniqueName('non-retryable'),
          args: [true],
        }),
      );
      expect((failure.cause as ApplicationFailure).nonRetryable).toBe(true);
      expect(failure.retryState).toBe('NON_RETRYABLE_FAILURE');
      expect(log.attempts).toEqual([1]);
    });
  });

  it('hands heartbeat details of a failed attempt to the next attempt', async () => {
    await withWorker(async (taskQueue, log) => {
      const result = await env.client.workflow.execute(heartbeatResume, {
        taskQueue,
        workflowId: uniqueName('heartbeat'),
      });
      expect(result).toBe(42);
      expect(log.heartbeatDetailsSeen).toEqual([null, 41]);
    });
  });

  const timeouts: [TimeoutKind, TimeoutType][] = [
    ['startToClose', 'START_TO_CLOSE'],
    ['scheduleToClose', 'SCHEDULE_TO_CLOSE'],
    ['scheduleToStart', 'SCHEDULE_TO_START'],
    ['heartbeat', 'HEARTBEAT'],
  ];
  it.each(timeouts)('fails the activity on its %s timeout', async (kind, expected) => {
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(hitTimeout, {
        taskQueue,
        workflowId: uniqueName(`timeout-${kind}`),
        args: [kind],
      });
      const failure = await activityFailureOf(handle.result());
      expect(failure.cause).toBeInstanceOf(TimeoutFailure);
      expect((failure.cause as TimeoutFailure).timeoutType).toBe(expected);
      expect(await eventTypes(handle)).toContain('ACTIVITY_TASK_TIMED_OUT');
    });
  });

  it('delivers a cancellation to a heartbeating activity and waits for it', async () => {
    await withWorker(
      async (taskQueue, log) => {
        const handle = await env.client.workflow.start(cancelRunningActivity, {
          taskQueue,
          workflowId: uniqueName('cancel-activity'),
        });
        await waitUntil(
          () => log.started.length,
          (n) => n === 1,
          'the activity to start',
        );
        // While it runs, describe shows the pending activity with the details of its last heartbeat.
        const pending = await waitUntil(
          async () => (await handle.describe()).raw.pendingActivities?.[0],
          (activity) => (activity?.heartbeatDetails?.payloads?.length ?? 0) > 0,
          'heartbeat details on the pending activity',
        );
        expect(pending?.activityType?.name).toBe('waitForCancel');
        expect(pending?.attempt).toBe(1);
        expect(pending?.state).toBe(
          proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        );
        const details = defaultPayloadConverter.fromPayload(pending!.heartbeatDetails!.payloads![0]!);
        expect(typeof details).toBe('number');
        await handle.signal(cancelNow);
        expect(await handle.result()).toBe('cancelled');
        expect(log.cancelled).toEqual(log.started);
        const types = await eventTypes(handle);
        expect(types).toContain('ACTIVITY_TASK_CANCEL_REQUESTED');
        expect(types).toContain('ACTIVITY_TASK_CANCELED');
      },
      { maxHeartbeatThrottleInterval: '200 ms' },
    );
  });
});
