// The workflow state machine: runs, workflow tasks, commands, signals, cancellation,
// termination, timeouts, continue-as-new, child and external workflows, queries.
// Activities live in activities.ts; the gRPC mapping in service.ts.
import { randomUUID } from 'node:crypto';
import type { VirtualClock } from './clock.js';
import { alreadyStarted, invalidArgument, notFound, workflowNotFound } from './errors.js';
import {
  enums,
  EventType,
  fromMs,
  optDuration,
  RetryState,
  Status,
  type temporal,
  toMs,
  type Command,
  type Execution,
  type HistoryEvent,
} from './proto.js';
import {
  DEFAULT_TASK_TIMEOUT_MS,
  Run,
  type ActivityState,
  type ParentRef,
  type PendingQuery,
  type WorkflowTaskState,
} from './run.js';
import { queueKey, TaskQueues } from './task-queues.js';
import type { ClientConnection } from './connections.js';
import { decodeToken, encodeToken } from './tokens.js';
import { Activities, type PollActivityResponse } from './activities.js';
import { Queries } from './queries.js';
import { Relations } from './relations.js';
import { decideRetry, normalizeRetryPolicy } from './retry.js';

const T = EventType;
type StartRequest = temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;
type PollWftResponse = Record<string, unknown>;

/** What sits on a workflow task queue: a workflow task or a legacy query task. */
export type WorkflowQueueItem =
  | { kind: 'wft'; run: Run; wft: WorkflowTaskState }
  | { kind: 'query'; run: Run; query: PendingQuery; taken: boolean };

export interface LongPoll {
  signal: AbortSignal;
  timeoutMs: number;
  /** The poller's connection, when the transport knows it (see connections.ts). */
  connection?: ClientConnection;
}

export interface StartParams {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: temporal.api.common.v1.IPayloads | null;
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
  executionExpiration: number;
  identity?: string | null;
  requestId: string;
  retryPolicy?: temporal.api.common.v1.IRetryPolicy | null;
  memo?: temporal.api.common.v1.IMemo | null;
  searchAttributes?: temporal.api.common.v1.ISearchAttributes | null;
  header?: temporal.api.common.v1.IHeader | null;
  firstTaskDelayMs: number;
  firstRunId?: string;
  /** Workflow retry attempt, 1 for a fresh start. */
  attempt?: number;
  continuedFrom?: { runId: string; initiator: number; failure?: unknown; lastCompletionResult?: unknown };
  parent: ParentRef | null;
  root?: Execution;
  runId?: string;
  /** Events written right after WorkflowExecutionStarted (signal-with-start). */
  afterStart?: (run: Run) => void;
}

export class Engine {
  readonly workflowQueues = new TaskQueues<WorkflowQueueItem>();
  readonly activities: Activities;
  readonly relations: Relations;
  readonly queries: Queries;
  /** namespace/workflowId -> runs, oldest first; the last one is the current run. */
  private readonly executions = new Map<string, Run[]>();
  private readonly runsById = new Map<string, Run>();
  /** Every run in creation order, for visibility. */
  readonly allRuns: Run[] = [];
  /** Keys of workflow/activity tasks pending or running; empty means time may skip. */
  private readonly busy = new Set<string>();
  /** Sticky queues whose worker's connection is watched, with the function that stops watching. */
  private readonly stickyWatches = new Map<string, () => void>();

  constructor(readonly clock: VirtualClock) {
    clock.isIdle = () => this.busy.size === 0;
    this.activities = new Activities(this);
    this.relations = new Relations(this);
    this.queries = new Queries(this);
  }

  markBusy(key: string): void {
    this.busy.add(key);
  }

  markIdle(key: string): void {
    if (this.busy.delete(key)) this.clock.poke();
  }

  // ---------------------------------------------------------------- lookup

  currentRun(namespace: string, workflowId: string): Run | undefined {
    const runs = this.executions.get(`${namespace}\u0000${workflowId}`);
    return runs?.[runs.length - 1];
  }

  runById(runId: string): Run | undefined {
    return this.runsById.get(runId);
  }

  /** Resolve an execution reference; an empty runId means the current run. */
  findRun(namespace: string, exec: Execution | null | undefined): Run {
    const workflowId = exec?.workflowId ?? '';
    const runId = exec?.runId ?? '';
    const run = runId ? this.runsById.get(runId) : this.currentRun(namespace, workflowId);
    if (!run || run.workflowId !== workflowId || run.namespace !== namespace)
      throw workflowNotFound(workflowId, runId);
    return run;
  }

  findOpenRun(namespace: string, exec: Execution | null | undefined): Run {
    const run = this.findRun(namespace, exec);
    if (!run.isOpen) throw notFound('workflow execution already completed');
    return run;
  }

  // ---------------------------------------------------------------- start

  /** StartWorkflowExecution semantics: request-id dedup, reuse and conflict policies. */
  startWorkflow(req: StartRequest, afterStart?: (run: Run) => void): { run: Run; started: boolean } {
    const namespace = req.namespace || 'default';
    const workflowId = req.workflowId ?? '';
    if (!workflowId) throw invalidArgument('WorkflowId is not set on request.');
    if (!req.workflowType?.name) throw invalidArgument('WorkflowType is not set on request.');
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request.');
    const requestId = req.requestId || randomUUID();
    const existing = this.currentRun(namespace, workflowId);
    if (existing) {
      if (req.requestId && existing.config.requestId === req.requestId)
        return { run: existing, started: true };
      const P = enums.WorkflowIdConflictPolicy;
      const R = enums.WorkflowIdReusePolicy;
      if (existing.isOpen) {
        if (req.workflowIdConflictPolicy === P.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) {
          return { run: existing, started: false };
        }
        if (
          req.workflowIdConflictPolicy === P.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING ||
          req.workflowIdReusePolicy === R.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING
        ) {
          this.terminate(
            existing,
            'terminated by a new start with the same workflow id',
            null,
            req.identity ?? '',
          );
        } else {
          throw alreadyStarted(workflowId, existing.config.requestId, existing.runId);
        }
      } else if (
        req.workflowIdReusePolicy === R.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE ||
        (req.workflowIdReusePolicy === R.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY &&
          (existing.status === Status.WORKFLOW_EXECUTION_STATUS_COMPLETED ||
            existing.status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW))
      ) {
        throw alreadyStarted(workflowId, existing.config.requestId, existing.runId);
      }
    }
    const executionTimeoutMs = toMs(req.workflowExecutionTimeout);
    const run = this.createRun({
      namespace,
      workflowId,
      workflowType: req.workflowType.name,
      taskQueue: req.taskQueue.name,
      input: req.input,
      executionTimeoutMs,
      runTimeoutMs: toMs(req.workflowRunTimeout) || executionTimeoutMs,
      taskTimeoutMs: toMs(req.workflowTaskTimeout) || DEFAULT_TASK_TIMEOUT_MS,
      executionExpiration: executionTimeoutMs ? this.clock.now() + executionTimeoutMs : 0,
      identity: req.identity,
      requestId,
      retryPolicy: req.retryPolicy,
      memo: req.memo,
      searchAttributes: req.searchAttributes,
      header: req.header,
      firstTaskDelayMs: toMs(req.workflowStartDelay),
      parent: null,
      afterStart,
    });
    return { run, started: true };
  }

  createRun(p: StartParams): Run {
    const now = this.clock.now();
    const runId = p.runId ?? randomUUID();
    const firstRunId = p.firstRunId ?? runId;
    const run = new Run(
      p.namespace,
      p.workflowId,
      runId,
      firstRunId,
      p.workflowType,
      p.taskQueue,
      now,
      {
        executionTimeoutMs: p.executionTimeoutMs,
        runTimeoutMs: p.runTimeoutMs,
        taskTimeoutMs: p.taskTimeoutMs,
        executionExpiration: p.executionExpiration,
        requestId: p.requestId,
        parent: p.parent,
        root: p.root ?? { workflowId: p.workflowId, runId: firstRunId },
        firstTaskDelayMs: p.firstTaskDelayMs,
      },
      () => this.clock.now(),
    );
    run.memo = p.memo;
    run.searchAttributes = p.searchAttributes;
    run.write(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
      workflowType: { name: p.workflowType },
      parentWorkflowNamespace: p.parent?.namespace,
      parentWorkflowExecution: p.parent
        ? { workflowId: p.parent.workflowId, runId: p.parent.runId }
        : undefined,
      parentInitiatedEventId: p.parent?.initiatedEventId,
      taskQueue: { name: p.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: p.input ?? undefined,
      workflowExecutionTimeout: optDuration(p.executionTimeoutMs),
      workflowRunTimeout: optDuration(p.runTimeoutMs),
      workflowTaskTimeout: fromMs(p.taskTimeoutMs),
      continuedExecutionRunId: p.continuedFrom?.runId,
      initiator: p.continuedFrom?.initiator,
      continuedFailure: p.continuedFrom?.failure,
      lastCompletionResult: p.continuedFrom?.lastCompletionResult,
      originalExecutionRunId: runId,
      identity: p.identity ?? '',
      firstExecutionRunId: firstRunId,
      retryPolicy: p.retryPolicy ?? undefined,
      attempt: p.attempt ?? 1,
      workflowExecutionExpirationTime: p.executionExpiration ? fromMs(p.executionExpiration) : undefined,
      firstWorkflowTaskBackoff: optDuration(p.firstTaskDelayMs),
      memo: p.memo ?? undefined,
      searchAttributes: p.searchAttributes ?? undefined,
      header: p.header ?? undefined,
      workflowId: p.workflowId,
      rootWorkflowExecution: run.config.root,
    });
    const key = `${p.namespace}\u0000${p.workflowId}`;
    const runs = this.executions.get(key) ?? [];
    runs.push(run);
    this.executions.set(key, runs);
    this.runsById.set(runId, run);
    this.allRuns.push(run);

    p.afterStart?.(run);
    if (p.firstTaskDelayMs > 0)
      run.runTimers.push(this.clock.after(p.firstTaskDelayMs, () => this.scheduleWft(run)));
    else this.scheduleWft(run);
    const runDeadline = p.runTimeoutMs ? now + p.runTimeoutMs : 0;
    const deadline =
      runDeadline && p.executionExpiration
        ? Math.min(runDeadline, p.executionExpiration)
        : runDeadline || p.executionExpiration;
    if (deadline) run.runTimers.push(this.clock.schedule(deadline, () => this.timeOutRun(run)));
    return run;
  }

  // ---------------------------------------------------------------- workflow tasks

  /** Schedule a workflow task unless one is already scheduled; defer it if one is running. */
  scheduleWft(run: Run, attempt = 1): void {
    if (!run.isOpen) return;
    if (run.wft) {
      if (run.wft.state === 'started') run.wftNeeded = true;
      return;
    }
    run.wftNeeded = false;
    const onSticky = run.sticky !== null;
    const queueName = run.sticky ? run.sticky.queue : run.taskQueue;
    const transient = attempt > 1;
    const scheduledEventId = transient
      ? 0
      : run.write(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, this.scheduledAttrs(run, attempt));
    run.wft = {
      state: 'scheduled',
      scheduledEventId,
      startedEventId: 0,
      attempt,
      queue: queueName,
      onSticky,
      scheduledTime: this.clock.now(),
      startedTime: 0,
      timer: null,
      queries: run.queuedQueries,
      transient,
      transientEvents: [],
    };
    run.queuedQueries = [];
    this.markBusy(`w:${run.runId}`);
    this.workflowQueues.add(queueKey(run.namespace, queueName), { kind: 'wft', run, wft: run.wft });
    if (run.sticky) {
      // A sticky worker that does not pick the task up in time is presumed gone.
      const wft = run.wft;
      wft.timer = this.clock.after(run.sticky.scheduleToStartMs || 5000, () => {
        if (run.wft === wft && wft.state === 'scheduled') this.moveToNormalQueue(run);
      });
    }
  }

  private scheduledAttrs(run: Run, attempt: number): Record<string, unknown> {
    const q = run.sticky
      ? {
          name: run.sticky.queue,
          kind: enums.TaskQueueKind.TASK_QUEUE_KIND_STICKY,
          normalName: run.taskQueue,
        }
      : { name: run.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL };
    return { taskQueue: q, startToCloseTimeout: fromMs(run.config.taskTimeoutMs), attempt };
  }

  private moveToNormalQueue(run: Run): void {
    const wft = run.wft;
    run.sticky = null;
    if (!wft || wft.state !== 'scheduled' || !wft.onSticky) return;
    wft.timer?.cancel();
    wft.timer = null;
    wft.onSticky = false;
    wft.queue = run.taskQueue;
    this.workflowQueues.add(queueKey(run.namespace, run.taskQueue), { kind: 'wft', run, wft });
  }

  async pollWorkflowTask(
    namespace: string,
    queueName: string,
    identity: string,
    poll: LongPoll,
    sticky = false,
  ): Promise<PollWftResponse> {
    const key = queueKey(namespace, queueName);
    if (sticky && poll.connection) this.watchStickyWorker(namespace, queueName, poll.connection);
    const until = Date.now() + poll.timeoutMs;
    for (;;) {
      const item = await this.workflowQueues.poll(key, {
        signal: poll.signal,
        timeoutMs: Math.max(0, until - Date.now()),
      });
      if (!item) return {};
      // The poller went away between handing over the task and starting it: keep the task.
      if (poll.signal.aborted) {
        this.workflowQueues.addFront(key, item);
        return {};
      }
      const res =
        item.kind === 'wft'
          ? this.startWft(item.run, item.wft, queueName, identity, poll.connection)
          : this.queries.take(item, queueName);
      if (res) return res;
    }
  }

  private startWft(
    run: Run,
    wft: WorkflowTaskState,
    queueName: string,
    identity: string,
    connection: ClientConnection | undefined,
  ): PollWftResponse | null {
    if (!run.isOpen || run.wft !== wft || wft.state !== 'scheduled' || wft.queue !== queueName) return null;
    wft.timer?.cancel();
    const startedAttrs = { identity, requestId: randomUUID() };
    let startedEventId: number;
    if (wft.transient) {
      wft.scheduledEventId = run.nextEventId;
      startedEventId = wft.scheduledEventId + 1;
      wft.transientEvents = [
        run.buildEvent(
          wft.scheduledEventId,
          wft.scheduledTime,
          T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
          this.scheduledAttrs(run, wft.attempt),
        ),
        run.buildEvent(startedEventId, this.clock.now(), T.EVENT_TYPE_WORKFLOW_TASK_STARTED, {
          scheduledEventId: wft.scheduledEventId,
          ...startedAttrs,
        }),
      ];
    } else {
      startedEventId = run.write(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, {
        scheduledEventId: wft.scheduledEventId,
        ...startedAttrs,
      });
    }
    const scheduledEventId = wft.scheduledEventId;
    wft.state = 'started';
    wft.startedEventId = startedEventId;
    wft.startedTime = this.clock.now();
    const timeout = this.clock.after(run.config.taskTimeoutMs, () => {
      if (run.wft === wft && wft.state === 'started') this.timeOutWft(run);
    });
    // A worker whose connection closed will never answer: the task no longer holds virtual time
    // back, which may then skip to its timeout. The timer's cancel ends the watch with the task.
    const unwatch = connection?.onClose(() => {
      if (run.wft === wft && wft.state === 'started') this.markIdle(`w:${run.runId}`);
    });
    wft.timer = {
      at: timeout.at,
      cancel: () => {
        timeout.cancel();
        unwatch?.();
      },
    };
    // A sticky worker already holds everything up to the previous started event.
    const events =
      wft.onSticky && run.previousStartedEventId > 0
        ? run.history.slice(run.previousStartedEventId)
        : run.history.slice();
    events.push(...wft.transientEvents);
    const queries: Record<string, temporal.api.query.v1.IWorkflowQuery> = {};
    for (const q of wft.queries) queries[q.id] = q.query;
    return {
      taskToken: encodeToken({ k: 'wft', runId: run.runId, scheduledEventId, attempt: wft.attempt }),
      workflowExecution: run.execution,
      workflowType: { name: run.workflowType },
      previousStartedEventId: run.previousStartedEventId,
      startedEventId,
      attempt: wft.attempt,
      backlogCountHint: this.workflowQueues.backlog(queueKey(run.namespace, queueName)),
      history: { events },
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      scheduledTime: fromMs(wft.scheduledTime),
      startedTime: fromMs(wft.startedTime),
      queries,
    };
  }

  private runningWft(token: Uint8Array | null | undefined): { run: Run } {
    const t = decodeToken(token);
    if (t.k !== 'wft') throw invalidArgument('not a workflow task token');
    const run = this.runsById.get(t.runId);
    const wft = run?.wft;
    if (
      !run ||
      !run.isOpen ||
      !wft ||
      wft.state !== 'started' ||
      wft.scheduledEventId !== t.scheduledEventId
    ) {
      throw notFound('Workflow task not found.');
    }
    return { run };
  }

  /** Returns the activity tasks dispatched eagerly to the completing worker (see Activities.startEager). */
  completeWorkflowTask(
    req: temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest,
    connection?: ClientConnection,
  ): PollActivityResponse[] {
    const { run } = this.runningWft(req.taskToken);
    const commands = req.commands ?? [];
    // Reject unsupported commands before touching any state; the task then times out and retries.
    for (const cmd of commands) {
      const problem = commandProblem(cmd);
      if (problem) throw invalidArgument(problem);
    }
    const wft = run.wft!;
    wft.timer?.cancel();
    // The attempt succeeded (or at least answered): its transient events become history.
    for (const e of wft.transientEvents) run.append(e);
    wft.transientEvents = [];
    for (const q of wft.queries) {
      const result = req.queryResults?.[q.id];
      q.resolve(
        result ?? {
          resultType: enums.QueryResultType.QUERY_RESULT_TYPE_FAILED,
          errorMessage: 'query was not answered',
        },
      );
    }
    const identity = req.identity ?? '';
    if (run.hasBuffered && commands.some(isCloseCommand)) {
      // New events arrived while the task ran: the close is rejected and the worker gets a
      // new task with those events, as Temporal does (UnhandledCommand).
      run.write(T.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        cause: enums.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
        identity,
      });
      this.endWft(run);
      run.sticky = null;
      run.flushBuffered();
      this.scheduleWft(run);
      return [];
    }
    const completedId = run.write(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      identity,
      binaryChecksum: req.binaryChecksum ?? '',
      sdkMetadata: req.sdkMetadata ?? undefined,
      meteringMetadata: req.meteringMetadata ?? undefined,
    });
    run.previousStartedEventId = wft.startedEventId;
    const hadBuffered = run.hasBuffered || run.wftNeeded;
    this.endWft(run);
    const stickyQueue = req.stickyAttributes?.workerTaskQueue?.name;
    run.sticky = stickyQueue
      ? { queue: stickyQueue, scheduleToStartMs: toMs(req.stickyAttributes?.scheduleToStartTimeout) }
      : null;
    const ctx: CommandContext = { completedId, identity, needWft: false, after: [], eager: [] };
    for (const cmd of commands) {
      if (!run.isOpen) break;
      this.applyCommand(run, cmd, ctx);
    }
    if (!run.isOpen) return [];
    run.flushBuffered();
    if (hadBuffered || ctx.needWft || req.forceCreateNewWorkflowTask) this.scheduleWft(run);
    for (const f of ctx.after) f();
    this.queries.routeQueued(run);
    return this.activities.startEager(run, ctx.eager, identity, connection);
  }

  failWorkflowTask(req: temporal.api.workflowservice.v1.IRespondWorkflowTaskFailedRequest): void {
    const { run } = this.runningWft(req.taskToken);
    const wft = run.wft!;
    if (!wft.transient) {
      run.write(T.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        cause: req.cause ?? 0,
        failure: req.failure ?? undefined,
        identity: req.identity ?? '',
        binaryChecksum: req.binaryChecksum ?? '',
      });
    }
    this.retryWft(run, wft.attempt + 1);
  }

  private timeOutWft(run: Run): void {
    const wft = run.wft!;
    if (!wft.transient) {
      run.write(T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        timeoutType: enums.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
      });
    }
    this.retryWft(run, wft.attempt + 1);
  }

  /**
   * After a failed or timed-out workflow task the worker may have evicted the run, so the retry
   * goes to the normal queue with full history. Retries after the second back off in real time
   * (not virtual time: a broken workflow must not let the clock race ahead).
   */
  private retryWft(run: Run, attempt: number): void {
    const wft = run.wft!;
    run.queuedQueries.unshift(...wft.queries);
    this.endWft(run);
    run.sticky = null;
    run.flushBuffered();
    const delay = attempt <= 2 ? 0 : Math.min(10_000, 1000 * (attempt - 2));
    if (delay === 0) return this.scheduleWft(run, attempt);
    this.markBusy(`w:${run.runId}`);
    const t = setTimeout(() => {
      this.busy.delete(`w:${run.runId}`);
      this.scheduleWft(run, attempt);
    }, delay);
    run.runTimers.push({ at: 0, cancel: () => clearTimeout(t) });
  }

  private endWft(run: Run): void {
    run.wft?.timer?.cancel();
    run.wft = null;
    this.markIdle(`w:${run.runId}`);
  }

  // ---------------------------------------------------------------- commands

  private applyCommand(run: Run, cmd: Command, ctx: CommandContext): void {
    const C = enums.CommandType;
    const wtc = ctx.completedId;
    switch (cmd.commandType) {
      case C.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
        const attrs = cmd.scheduleActivityTaskCommandAttributes!;
        // Temporal dispatches eagerly only on the workflow's own task queue: the completing worker polls it.
        const eager =
          attrs.requestEagerExecution === true && (attrs.taskQueue?.name || run.taskQueue) === run.taskQueue;
        const act = this.activities.schedule(run, attrs, wtc, eager);
        if (act) ctx.eager.push(act);
        return;
      }
      case C.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
        if (
          this.activities.requestCancel(
            run,
            Number(cmd.requestCancelActivityTaskCommandAttributes!.scheduledEventId),
            wtc,
          )
        ) {
          ctx.needWft = true;
        }
        return;
      case C.COMMAND_TYPE_START_TIMER: {
        const a = cmd.startTimerCommandAttributes!;
        const timerId = a.timerId ?? '';
        const startedEventId = run.write(T.EVENT_TYPE_TIMER_STARTED, {
          timerId,
          startToFireTimeout: a.startToFireTimeout,
          workflowTaskCompletedEventId: wtc,
        });
        const handle = this.clock.after(toMs(a.startToFireTimeout), () => {
          if (!run.isOpen || run.timers.get(timerId)?.startedEventId !== startedEventId) return;
          run.timers.delete(timerId);
          run.writeExternal(T.EVENT_TYPE_TIMER_FIRED, () => ({ timerId, startedEventId }));
          this.scheduleWft(run);
        });
        run.timers.set(timerId, { timerId, startedEventId, handle });
        return;
      }
      case C.COMMAND_TYPE_CANCEL_TIMER: {
        const timerId = cmd.cancelTimerCommandAttributes!.timerId ?? '';
        const timer = run.timers.get(timerId);
        if (!timer) return;
        timer.handle.cancel();
        run.timers.delete(timerId);
        run.write(T.EVENT_TYPE_TIMER_CANCELED, {
          timerId,
          startedEventId: timer.startedEventId,
          workflowTaskCompletedEventId: wtc,
          identity: ctx.identity,
        });
        return;
      }
      case C.COMMAND_TYPE_RECORD_MARKER: {
        const a = cmd.recordMarkerCommandAttributes!;
        run.write(T.EVENT_TYPE_MARKER_RECORDED, {
          markerName: a.markerName,
          details: a.details,
          header: a.header,
          failure: a.failure,
          workflowTaskCompletedEventId: wtc,
        });
        return;
      }
      case C.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const sa = cmd.upsertWorkflowSearchAttributesCommandAttributes!.searchAttributes;
        run.searchAttributes = {
          indexedFields: { ...run.searchAttributes?.indexedFields, ...sa?.indexedFields },
        };
        run.write(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
          workflowTaskCompletedEventId: wtc,
          searchAttributes: sa,
        });
        return;
      }
      case C.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
        const memo = cmd.modifyWorkflowPropertiesCommandAttributes!.upsertedMemo;
        run.memo = { fields: { ...run.memo?.fields, ...memo?.fields } };
        run.write(T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, {
          workflowTaskCompletedEventId: wtc,
          upsertedMemo: memo,
        });
        return;
      }
      case C.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
        this.closeRun(
          run,
          Status.WORKFLOW_EXECUTION_STATUS_COMPLETED,
          T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
          {
            result: cmd.completeWorkflowExecutionCommandAttributes?.result,
            workflowTaskCompletedEventId: wtc,
          },
        );
        return;
      case C.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
        this.failOrRetry(
          run,
          cmd.failWorkflowExecutionCommandAttributes?.failure ?? { message: 'workflow failed' },
          wtc,
        );
        return;
      case C.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
        this.closeRun(
          run,
          Status.WORKFLOW_EXECUTION_STATUS_CANCELED,
          T.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
          {
            details: cmd.cancelWorkflowExecutionCommandAttributes?.details,
            workflowTaskCompletedEventId: wtc,
          },
        );
        return;
      case C.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
        this.continueAsNew(run, cmd.continueAsNewWorkflowExecutionCommandAttributes!, wtc);
        return;
      case C.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
        this.relations.initiateChild(run, cmd.startChildWorkflowExecutionCommandAttributes!, ctx);
        return;
      case C.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
        this.relations.initiateSignal(run, cmd.signalExternalWorkflowExecutionCommandAttributes!, ctx);
        return;
      case C.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
        this.relations.initiateCancel(run, cmd.requestCancelExternalWorkflowExecutionCommandAttributes!, ctx);
        return;
    }
  }

  private continueAsNew(
    run: Run,
    a: temporal.api.command.v1.IContinueAsNewWorkflowExecutionCommandAttributes,
    wtc: number,
  ): void {
    const newRunId = randomUUID();
    const runTimeoutMs = toMs(a.workflowRunTimeout) || run.config.runTimeoutMs;
    const taskTimeoutMs = toMs(a.workflowTaskTimeout) || run.config.taskTimeoutMs;
    const workflowType = a.workflowType?.name || run.workflowType;
    const taskQueue = a.taskQueue?.name || run.taskQueue;
    this.closeRun(
      run,
      Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
      T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
      {
        newExecutionRunId: newRunId,
        workflowType: { name: workflowType },
        taskQueue: { name: taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: a.input,
        workflowRunTimeout: optDuration(runTimeoutMs),
        workflowTaskTimeout: fromMs(taskTimeoutMs),
        workflowTaskCompletedEventId: wtc,
        backoffStartInterval: a.backoffStartInterval,
        initiator: a.initiator,
        failure: a.failure,
        lastCompletionResult: a.lastCompletionResult,
        header: a.header,
        memo: a.memo,
        searchAttributes: a.searchAttributes,
      },
    );
    this.createNextRun(run, newRunId, {
      workflowType,
      taskQueue,
      input: a.input,
      runTimeoutMs,
      taskTimeoutMs,
      retryPolicy: a.retryPolicy ?? run.startedAttrs.retryPolicy,
      memo: a.memo ?? run.memo,
      searchAttributes: a.searchAttributes ?? run.searchAttributes,
      header: a.header,
      firstTaskDelayMs: toMs(a.backoffStartInterval),
      continuedFrom: {
        runId: run.runId,
        initiator: a.initiator ?? enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW,
        failure: a.failure ?? undefined,
        lastCompletionResult: a.lastCompletionResult ?? undefined,
      },
    });
  }

  /** FailWorkflowExecution: close for good, or start the next attempt if the workflow's retry policy allows. */
  private failOrRetry(run: Run, failure: temporal.api.failure.v1.IFailure, wtc: number): void {
    const started = run.startedAttrs;
    const decision = started.retryPolicy
      ? decideRetry(
          normalizeRetryPolicy(started.retryPolicy),
          started.attempt ?? 1,
          failure,
          this.clock.now(),
          run.config.executionExpiration,
        )
      : { delayMs: null, state: RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET };
    const newRunId = decision.delayMs === null ? undefined : randomUUID();
    this.closeRun(
      run,
      Status.WORKFLOW_EXECUTION_STATUS_FAILED,
      T.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
      { failure, retryState: decision.state, workflowTaskCompletedEventId: wtc, newExecutionRunId: newRunId },
      newRunId !== undefined,
    );
    if (newRunId === undefined || decision.delayMs === null) return;
    this.createNextRun(run, newRunId, {
      workflowType: run.workflowType,
      taskQueue: run.taskQueue,
      input: started.input,
      runTimeoutMs: run.config.runTimeoutMs,
      taskTimeoutMs: run.config.taskTimeoutMs,
      retryPolicy: started.retryPolicy,
      memo: run.memo,
      searchAttributes: run.searchAttributes,
      header: started.header,
      firstTaskDelayMs: decision.delayMs,
      attempt: (started.attempt ?? 1) + 1,
      continuedFrom: {
        runId: run.runId,
        initiator: enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY,
        failure,
      },
    });
  }

  /** The next run of the same chain (continue-as-new or retry): same id, parent, root and expiration. */
  private createNextRun(
    run: Run,
    runId: string,
    p: Pick<
      StartParams,
      | 'workflowType'
      | 'taskQueue'
      | 'input'
      | 'runTimeoutMs'
      | 'taskTimeoutMs'
      | 'retryPolicy'
      | 'memo'
      | 'searchAttributes'
      | 'header'
      | 'firstTaskDelayMs'
      | 'attempt'
      | 'continuedFrom'
    >,
  ): void {
    this.createRun({
      ...p,
      namespace: run.namespace,
      workflowId: run.workflowId,
      executionTimeoutMs: run.config.executionTimeoutMs,
      executionExpiration: run.config.executionExpiration,
      identity: run.startedAttrs.identity,
      requestId: randomUUID(),
      firstRunId: run.firstRunId,
      parent: run.config.parent,
      root: run.config.root,
      runId,
    });
  }

  // ---------------------------------------------------------------- external operations on a run

  signal(
    run: Run,
    signalName: string,
    input: temporal.api.common.v1.IPayloads | null | undefined,
    header: temporal.api.common.v1.IHeader | null | undefined,
    identity: string,
    externalExecution?: Execution,
  ): void {
    run.writeExternal(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, () => ({
      signalName,
      input,
      identity,
      header,
      externalWorkflowExecution: externalExecution,
    }));
    this.scheduleWft(run);
  }

  requestCancel(
    run: Run,
    identity: string,
    reason: string,
    external?: { initiatedEventId: number; execution: Execution },
  ): void {
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    run.writeExternal(T.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, () => ({
      cause: reason,
      identity,
      externalInitiatedEventId: external?.initiatedEventId,
      externalWorkflowExecution: external?.execution,
    }));
    this.scheduleWft(run);
  }

  terminate(
    run: Run,
    reason: string,
    details: temporal.api.common.v1.IPayloads | null | undefined,
    identity: string,
  ): void {
    this.forceClose(run);
    this.closeRun(
      run,
      Status.WORKFLOW_EXECUTION_STATUS_TERMINATED,
      T.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
      {
        reason,
        details,
        identity,
      },
    );
  }

  private timeOutRun(run: Run): void {
    if (!run.isOpen) return;
    this.forceClose(run);
    this.closeRun(
      run,
      Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
      T.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
      {
        retryState: RetryState.RETRY_STATE_TIMEOUT,
      },
    );
  }

  /** A close imposed from outside fails the running workflow task first, keeping history well-formed. */
  private forceClose(run: Run): void {
    const wft = run.wft;
    if (wft?.state === 'started') {
      if (!wft.transient) {
        run.write(T.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
          scheduledEventId: wft.scheduledEventId,
          startedEventId: wft.startedEventId,
          cause: enums.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
        });
      }
      run.queuedQueries.unshift(...wft.queries);
      wft.queries = [];
      this.endWft(run);
    }
    run.flushBuffered();
  }

  /** @param chainContinues another run follows (continue-as-new, retry): the parent is not told. */
  private closeRun(
    run: Run,
    status: temporal.api.enums.v1.WorkflowExecutionStatus,
    type: number,
    attrs: Record<string, unknown>,
    chainContinues = status === Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
  ): void {
    const pendingQueries = [...(run.wft?.queries ?? []), ...run.queuedQueries];
    this.endWft(run); // also clears the busy mark of a workflow task waiting out its retry backoff
    run.queuedQueries = [];
    run.status = status;
    run.closeTime = this.clock.now();
    const id = run.write(type, attrs);
    run.closeEvent = run.history[id - 1]!;
    for (const t of run.timers.values()) t.handle.cancel();
    run.timers.clear();
    for (const t of run.runTimers) t.cancel();
    run.runTimers = [];
    this.activities.dropAll(run);
    for (const l of run.listeners) l();
    for (const q of pendingQueries) this.queries.dispatchLegacy(run, q);
    if (!chainContinues) this.relations.notifyParent(run, type, attrs);
    this.relations.applyParentClosePolicy(run);
    this.clock.poke();
  }

  /** DeleteWorkflowExecution: terminate if still open, then forget the run. */
  deleteRun(run: Run, identity: string): void {
    if (run.isOpen) this.terminate(run, 'Delete workflow execution', null, identity);
    this.runsById.delete(run.runId);
    const key = `${run.namespace}\u0000${run.workflowId}`;
    const runs = (this.executions.get(key) ?? []).filter((r) => r !== run);
    if (runs.length > 0) this.executions.set(key, runs);
    else this.executions.delete(key);
    const i = this.allRuns.indexOf(run);
    if (i >= 0) this.allRuns.splice(i, 1);
  }

  // ---------------------------------------------------------------- stickiness

  /**
   * A sticky worker whose connection closed (killed, crashed) is as gone as one that called
   * ShutdownWorker: its tasks move to the normal queue at once instead of after the sticky
   * schedule-to-start timeout, which would hold virtual time back for that long in real time.
   */
  private watchStickyWorker(namespace: string, stickyQueue: string, connection: ClientConnection): void {
    const key = queueKey(namespace, stickyQueue);
    if (this.stickyWatches.has(key)) return;
    this.stickyWatches.set(
      key,
      connection.onClose(() => {
        this.stickyWatches.delete(key);
        this.shutdownWorker(namespace, stickyQueue);
      }),
    );
  }

  shutdownWorker(namespace: string, stickyQueue: string): void {
    if (!stickyQueue) return;
    const key = queueKey(namespace, stickyQueue);
    this.workflowQueues.releasePollers(key);
    const stranded = this.workflowQueues.drain(key);
    for (const run of this.allRuns) {
      if (run.isOpen && run.sticky?.queue === stickyQueue && run.namespace === namespace)
        this.moveToNormalQueue(run);
    }
    for (const item of stranded) {
      if (item.kind === 'query') this.workflowQueues.add(queueKey(namespace, item.run.taskQueue), item);
    }
  }

  resetSticky(run: Run): void {
    this.moveToNormalQueue(run);
  }

  // ---------------------------------------------------------------- history

  /**
   * GetWorkflowExecutionHistory. With waitNewEvent the call parks until an event past the
   * page token exists (or, with the close-event filter, until the run closes).
   */
  async history(
    run: Run,
    req: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryRequest,
    poll: LongPoll,
  ): Promise<{ events: HistoryEvent[]; nextPageToken: Uint8Array }> {
    const closeOnly =
      req.historyEventFilterType === enums.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
    const from = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) : 1;
    const ready = () => (closeOnly ? !run.isOpen : run.history.length >= from || !run.isOpen);
    if (req.waitNewEvent && !ready()) await this.waitFor(run, ready, poll);
    if (closeOnly) {
      if (run.closeEvent) return { events: [run.closeEvent], nextPageToken: new Uint8Array() };
      return { events: [], nextPageToken: Buffer.from(String(from)) };
    }
    const events = run.history.slice(from - 1);
    const more = req.waitNewEvent && run.isOpen;
    return { events, nextPageToken: more ? Buffer.from(String(run.history.length + 1)) : new Uint8Array() };
  }

  private waitFor(run: Run, ready: () => boolean, poll: LongPoll): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        run.listeners.delete(check);
        clearTimeout(timer);
        poll.signal.removeEventListener('abort', finish);
        resolve();
      };
      const check = () => {
        if (ready()) finish();
      };
      const timer = setTimeout(finish, poll.timeoutMs);
      poll.signal.addEventListener('abort', finish);
      run.listeners.add(check);
    });
  }

  stop(): void {
    this.clock.stop();
  }
}

export interface CommandContext {
  completedId: number;
  identity: string;
  needWft: boolean;
  /** Effects on other executions, run once the task's own events are written. */
  after: Array<() => void>;
  /** Activities scheduled with eager dispatch, started once every command is applied. */
  eager: ActivityState[];
}

const supportedCommands = new Set<number>([
  enums.CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
  enums.CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK,
  enums.CommandType.COMMAND_TYPE_START_TIMER,
  enums.CommandType.COMMAND_TYPE_CANCEL_TIMER,
  enums.CommandType.COMMAND_TYPE_RECORD_MARKER,
  enums.CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  enums.CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES,
  enums.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
  enums.CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
  enums.CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
  enums.CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
  enums.CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION,
  enums.CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
  enums.CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
]);

/** Why a command cannot be applied, or null. */
function commandProblem(cmd: Command): string | null {
  if (!supportedCommands.has(cmd.commandType ?? 0)) {
    return `command ${enums.CommandType[cmd.commandType ?? 0]} is not supported by the in-memory server`;
  }
  const a = cmd.scheduleActivityTaskCommandAttributes;
  if (
    cmd.commandType === enums.CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK &&
    !toMs(a?.startToCloseTimeout) &&
    !toMs(a?.scheduleToCloseTimeout)
  ) {
    return 'A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTask command.';
  }
  return null;
}

function isCloseCommand(cmd: Command): boolean {
  const C = enums.CommandType;
  return (
    cmd.commandType === C.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION ||
    cmd.commandType === C.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION ||
    cmd.commandType === C.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION ||
    cmd.commandType === C.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION
  );
}
