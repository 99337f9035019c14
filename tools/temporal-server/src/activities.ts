// Activity state machine: scheduling, dispatch, heartbeats, completion, retries with backoff,
// the four timeouts and cancellation.
//
// Like Temporal, ActivityTaskStarted is written only when the activity closes (together with the
// closing event), so retries do not grow the history.
import { randomUUID } from 'node:crypto';
import type { ClientConnection } from './connections.js';
import type { Engine, LongPoll } from './engine.js';
import { invalidArgument, notFound } from './errors.js';
import { enums, EventType as T, fromMs, optDuration, RetryState, type temporal, toMs } from './proto.js';
import type { ActivityState, Run } from './run.js';
import { decideRetry, normalizeRetryPolicy, type RetryDecision } from './retry.js';
import { queueKey, TaskQueues } from './task-queues.js';
import { decodeToken, encodeToken } from './tokens.js';

type Failure = temporal.api.failure.v1.IFailure;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;
type TimeoutTypeValue = temporal.api.enums.v1.TimeoutType;
export type PollActivityResponse = Record<string, unknown>;

interface ActivityItem {
  run: Run;
  scheduledEventId: number;
  attempt: number;
}

const TT = enums.TimeoutType;

export class Activities {
  readonly queues = new TaskQueues<ActivityItem>();

  constructor(private readonly engine: Engine) {}

  private get clock() {
    return this.engine.clock;
  }

  private busyKey(run: Run, act: ActivityState): string {
    return `a:${run.runId}:${act.scheduledEventId}`;
  }

  /**
   * @param eager the activity is to be handed to the worker completing the workflow task (eager
   * dispatch): it is left out of the task queue and returned, for `startEager` once every command of
   * that task is applied. Otherwise it is queued for a poller and nothing is returned.
   */
  schedule(
    run: Run,
    a: temporal.api.command.v1.IScheduleActivityTaskCommandAttributes,
    wtc: number,
    eager = false,
  ): ActivityState | undefined {
    // Temporal's defaulting: start-to-close and schedule-to-start fall back to schedule-to-close.
    const scheduleToCloseMs = toMs(a.scheduleToCloseTimeout);
    const startToCloseMs = toMs(a.startToCloseTimeout) || scheduleToCloseMs;
    const scheduleToStartMs = toMs(a.scheduleToStartTimeout) || scheduleToCloseMs;
    const retryPolicy = normalizeRetryPolicy(a.retryPolicy);
    const taskQueue = a.taskQueue?.name || run.taskQueue;
    const scheduledEventId = run.write(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
      activityId: a.activityId,
      activityType: a.activityType,
      taskQueue: { name: taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      header: a.header,
      input: a.input,
      scheduleToCloseTimeout: optDuration(scheduleToCloseMs),
      scheduleToStartTimeout: optDuration(scheduleToStartMs),
      startToCloseTimeout: fromMs(startToCloseMs),
      heartbeatTimeout: a.heartbeatTimeout,
      workflowTaskCompletedEventId: wtc,
      retryPolicy,
    });
    const now = this.clock.now();
    const act: ActivityState = {
      scheduledEventId,
      activityId: a.activityId ?? '',
      activityType: a.activityType?.name ?? '',
      taskQueue,
      header: a.header,
      input: a.input,
      scheduleToCloseMs,
      scheduleToStartMs,
      startToCloseMs,
      heartbeatMs: toMs(a.heartbeatTimeout),
      retryPolicy,
      attempt: 1,
      state: 'scheduled',
      scheduledTime: now,
      attemptScheduledTime: now,
      startedTime: 0,
      identity: '',
      requestId: '',
      heartbeatDetails: null,
      lastHeartbeatTime: 0,
      lastFailure: null,
      cancelRequested: false,
      cancelRequestedEventId: 0,
      attemptTimers: [],
      heartbeatTimer: null,
      scheduleToCloseTimer: null,
    };
    run.activities.set(scheduledEventId, act);
    if (scheduleToCloseMs) {
      act.scheduleToCloseTimer = this.clock.after(scheduleToCloseMs, () =>
        this.timeOut(run, act, TT.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE),
      );
    }
    if (eager) {
      act.state = 'scheduled';
      this.engine.markBusy(this.busyKey(run, act));
      return act;
    }
    this.enqueue(run, act);
    return undefined;
  }

  /**
   * Eager dispatch: starts activities kept out of the queue by `schedule(..., eager)` for the worker
   * that completed the workflow task, as Temporal does for a ScheduleActivityTask command with
   * `requestEagerExecution` on the workflow's own task queue. Skips any that a later command of the
   * same task cancelled, or whose run it closed.
   */
  startEager(
    run: Run,
    acts: ActivityState[],
    identity: string,
    connection: ClientConnection | undefined,
  ): PollActivityResponse[] {
    const tasks: PollActivityResponse[] = [];
    for (const act of acts) {
      const task = this.start(
        { run, scheduledEventId: act.scheduledEventId, attempt: act.attempt },
        identity,
        connection,
      );
      if (task) tasks.push(task);
    }
    return tasks;
  }

  private enqueue(run: Run, act: ActivityState): void {
    act.state = 'scheduled';
    act.attemptScheduledTime = this.clock.now();
    this.engine.markBusy(this.busyKey(run, act));
    if (act.scheduleToStartMs && act.scheduleToStartMs !== act.scheduleToCloseMs) {
      act.attemptTimers.push(
        this.clock.after(act.scheduleToStartMs, () =>
          this.timeOut(run, act, TT.TIMEOUT_TYPE_SCHEDULE_TO_START),
        ),
      );
    }
    this.queues.add(queueKey(run.namespace, act.taskQueue), {
      run,
      scheduledEventId: act.scheduledEventId,
      attempt: act.attempt,
    });
  }

  async poll(
    namespace: string,
    queueName: string,
    identity: string,
    poll: LongPoll,
  ): Promise<PollActivityResponse> {
    const key = queueKey(namespace, queueName);
    const until = Date.now() + poll.timeoutMs;
    for (;;) {
      const item = await this.queues.poll(key, {
        signal: poll.signal,
        timeoutMs: Math.max(0, until - Date.now()),
      });
      if (!item) return {};
      // The poller went away between handing over the task and starting it: keep the task.
      if (poll.signal.aborted) {
        this.queues.addFront(key, item);
        return {};
      }
      const res = this.start(item, identity, poll.connection);
      if (res) return res;
    }
  }

  private start(
    item: ActivityItem,
    identity: string,
    connection: ClientConnection | undefined,
  ): PollActivityResponse | null {
    const { run } = item;
    const act = run.activities.get(item.scheduledEventId);
    if (!run.isOpen || !act || act.state !== 'scheduled' || act.attempt !== item.attempt) return null;
    this.clearAttemptTimers(act);
    act.state = 'started';
    act.startedTime = this.clock.now();
    act.identity = identity;
    act.requestId = randomUUID();
    act.attemptTimers.push(
      this.clock.after(act.startToCloseMs, () => this.timeOut(run, act, TT.TIMEOUT_TYPE_START_TO_CLOSE)),
    );
    // A worker whose connection closed will never answer: the attempt no longer holds virtual time
    // back, which may then skip to its timeout. Ending the attempt cancels the watch with its timers.
    const unwatch = connection?.onClose(() => {
      if (act.state === 'started' && act.attempt === item.attempt)
        this.engine.markIdle(this.busyKey(run, act));
    });
    if (unwatch) act.attemptTimers.push({ at: 0, cancel: unwatch });
    this.armHeartbeat(run, act);
    return {
      taskToken: encodeToken({
        k: 'act',
        runId: run.runId,
        scheduledEventId: act.scheduledEventId,
        attempt: act.attempt,
      }),
      workflowNamespace: run.namespace,
      workflowType: { name: run.workflowType },
      workflowExecution: run.execution,
      activityType: { name: act.activityType },
      activityId: act.activityId,
      header: act.header,
      input: act.input,
      heartbeatDetails: act.heartbeatDetails,
      scheduledTime: fromMs(act.scheduledTime),
      currentAttemptScheduledTime: fromMs(act.attemptScheduledTime),
      startedTime: fromMs(act.startedTime),
      attempt: act.attempt,
      // The TS worker requires every timeout to be present; zero means "none".
      scheduleToCloseTimeout: fromMs(act.scheduleToCloseMs),
      startToCloseTimeout: fromMs(act.startToCloseMs),
      heartbeatTimeout: fromMs(act.heartbeatMs),
      retryPolicy: act.retryPolicy,
    };
  }

  private armHeartbeat(run: Run, act: ActivityState): void {
    act.heartbeatTimer?.cancel();
    act.heartbeatTimer = act.heartbeatMs
      ? this.clock.after(act.heartbeatMs, () => this.timeOut(run, act, TT.TIMEOUT_TYPE_HEARTBEAT))
      : null;
  }

  private clearAttemptTimers(act: ActivityState): void {
    for (const t of act.attemptTimers) t.cancel();
    act.attemptTimers = [];
    act.heartbeatTimer?.cancel();
    act.heartbeatTimer = null;
  }

  // ------------------------------------------------------------ worker responses

  /** The started activity a token or (workflowId, runId, activityId) refers to. */
  private resolveToken(token: Uint8Array | null | undefined): { run: Run; act: ActivityState } {
    const t = decodeToken(token);
    if (t.k !== 'act') throw invalidArgument('not an activity task token');
    const run = this.engine.runById(t.runId);
    const act = run?.activities.get(t.scheduledEventId);
    if (!run || !run.isOpen || !act || act.state !== 'started' || act.attempt !== t.attempt) {
      throw notFound('activity task not found');
    }
    return { run, act };
  }

  resolveById(
    namespace: string,
    workflowId: string,
    runId: string,
    activityId: string,
  ): { run: Run; act: ActivityState } {
    const run = this.engine.findOpenRun(namespace, { workflowId, runId });
    for (const act of run.activities.values()) {
      if (act.activityId === activityId && act.state === 'started') return { run, act };
    }
    throw notFound(`activity not found: ${activityId}`);
  }

  byToken(token: Uint8Array | null | undefined) {
    return this.resolveToken(token);
  }

  heartbeat(target: { run: Run; act: ActivityState }, details: Payloads): { cancelRequested: boolean } {
    const { run, act } = target;
    act.heartbeatDetails = details ?? act.heartbeatDetails;
    act.lastHeartbeatTime = this.clock.now();
    this.armHeartbeat(run, act);
    return { cancelRequested: act.cancelRequested };
  }

  complete(target: { run: Run; act: ActivityState }, result: Payloads, identity: string): void {
    const { run, act } = target;
    this.close(run, act, T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, (startedEventId) => ({
      result,
      scheduledEventId: act.scheduledEventId,
      startedEventId,
      identity,
    }));
  }

  canceled(target: { run: Run; act: ActivityState }, details: Payloads, identity: string): void {
    const { run, act } = target;
    this.close(run, act, T.EVENT_TYPE_ACTIVITY_TASK_CANCELED, (startedEventId) => ({
      details,
      latestCancelRequestedEventId: act.cancelRequestedEventId,
      scheduledEventId: act.scheduledEventId,
      startedEventId,
      identity,
    }));
  }

  fail(
    target: { run: Run; act: ActivityState },
    failure: Failure | null | undefined,
    details: Payloads,
    identity: string,
  ): void {
    const { run, act } = target;
    if (details) act.heartbeatDetails = details;
    const f = failure ?? { message: 'activity failed' };
    const retry = this.retryDecision(act, f);
    if (retry.delayMs !== null) return this.backoff(run, act, f, retry.delayMs);
    this.close(run, act, T.EVENT_TYPE_ACTIVITY_TASK_FAILED, (startedEventId) => ({
      failure: f,
      scheduledEventId: act.scheduledEventId,
      startedEventId,
      identity,
      retryState: retry.state,
    }));
  }

  private timeOut(run: Run, act: ActivityState, type: TimeoutTypeValue): void {
    if (!run.isOpen || run.activities.get(act.scheduledEventId) !== act) return;
    const name =
      { 1: 'StartToClose', 2: 'ScheduleToStart', 3: 'ScheduleToClose', 4: 'Heartbeat' }[type as 1] ??
      'unknown';
    const failure: Failure = {
      message: `activity ${name} timeout`,
      timeoutFailureInfo: { timeoutType: type, lastHeartbeatDetails: act.heartbeatDetails ?? undefined },
      cause: act.lastFailure ?? undefined,
    };
    // Only per-attempt timeouts of a started attempt are retried.
    const retryable =
      act.state === 'started' &&
      (type === TT.TIMEOUT_TYPE_START_TO_CLOSE || type === TT.TIMEOUT_TYPE_HEARTBEAT);
    const retry = retryable
      ? this.retryDecision(act, failure)
      : { delayMs: null, state: RetryState.RETRY_STATE_TIMEOUT };
    if (retry.delayMs !== null) return this.backoff(run, act, failure, retry.delayMs);
    this.close(run, act, T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, (startedEventId) => ({
      failure,
      scheduledEventId: act.scheduledEventId,
      startedEventId,
      retryState: retry.state,
    }));
  }

  private retryDecision(act: ActivityState, failure: Failure, retryable = true): RetryDecision {
    const deadline = act.scheduleToCloseMs ? act.scheduledTime + act.scheduleToCloseMs : 0;
    return decideRetry(act.retryPolicy, act.attempt, failure, this.clock.now(), deadline, retryable);
  }

  /** Wait out the retry interval (idle: time may skip over it), then offer the next attempt. */
  private backoff(run: Run, act: ActivityState, failure: Failure, delayMs: number): void {
    this.clearAttemptTimers(act);
    act.lastFailure = failure;
    act.state = 'backoff';
    this.engine.markIdle(this.busyKey(run, act));
    act.attemptTimers.push(
      this.clock.after(delayMs, () => {
        if (!run.isOpen || run.activities.get(act.scheduledEventId) !== act) return;
        act.attemptTimers = [];
        act.attempt++;
        this.enqueue(run, act);
      }),
    );
  }

  private close(
    run: Run,
    act: ActivityState,
    type: number,
    build: (startedEventId: number) => Record<string, unknown>,
  ): void {
    this.forget(run, act);
    const wasStarted = act.state === 'started';
    let startedEventId = 0;
    if (wasStarted) {
      run.writeExternal(
        T.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        () => ({
          scheduledEventId: act.scheduledEventId,
          identity: act.identity,
          requestId: act.requestId,
          attempt: act.attempt,
          lastFailure: act.lastFailure ?? undefined,
        }),
        (id) => {
          startedEventId = id;
        },
      );
    }
    run.writeExternal(type as temporal.api.enums.v1.EventType, () => build(startedEventId));
    this.engine.scheduleWft(run);
  }

  private forget(run: Run, act: ActivityState): void {
    this.clearAttemptTimers(act);
    act.scheduleToCloseTimer?.cancel();
    run.activities.delete(act.scheduledEventId);
    this.engine.markIdle(this.busyKey(run, act));
  }

  /**
   * RequestCancelActivityTask command. An activity not yet running is canceled at once (returns
   * true: the workflow needs a new task); a running one learns about it from its next heartbeat.
   */
  requestCancel(run: Run, scheduledEventId: number, wtc: number): boolean {
    const act = run.activities.get(scheduledEventId);
    const cancelRequestedEventId = run.write(T.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, {
      scheduledEventId,
      workflowTaskCompletedEventId: wtc,
    });
    if (!act) return false;
    act.cancelRequested = true;
    act.cancelRequestedEventId = cancelRequestedEventId;
    if (act.state === 'started') return false;
    this.forget(run, act);
    run.write(T.EVENT_TYPE_ACTIVITY_TASK_CANCELED, {
      latestCancelRequestedEventId: cancelRequestedEventId,
      scheduledEventId,
      startedEventId: 0,
    });
    return true;
  }

  /** The run closed: its activities vanish (workers find out through NotFound on heartbeat). */
  dropAll(run: Run): void {
    for (const act of [...run.activities.values()]) this.forget(run, act);
  }

  describe(run: Run): Array<Record<string, unknown>> {
    const S = enums.PendingActivityState;
    return [...run.activities.values()].map((act) => ({
      activityId: act.activityId,
      activityType: { name: act.activityType },
      state: act.cancelRequested
        ? S.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
        : act.state === 'started'
          ? S.PENDING_ACTIVITY_STATE_STARTED
          : S.PENDING_ACTIVITY_STATE_SCHEDULED,
      heartbeatDetails: act.heartbeatDetails ?? undefined,
      lastHeartbeatTime: act.lastHeartbeatTime ? fromMs(act.lastHeartbeatTime) : undefined,
      lastStartedTime: act.startedTime ? fromMs(act.startedTime) : undefined,
      attempt: act.attempt,
      maximumAttempts: act.retryPolicy.maximumAttempts,
      scheduledTime: fromMs(act.attemptScheduledTime),
      expirationTime: act.scheduleToCloseMs ? fromMs(act.scheduledTime + act.scheduleToCloseMs) : undefined,
      lastFailure: act.lastFailure ?? undefined,
      lastWorkerIdentity: act.identity,
    }));
  }
}
