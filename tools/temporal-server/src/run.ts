// One workflow run: its history and the mutable state derived from it.
//
// History is append-only. Events that arrive from outside (signals, activity results, timer
// fires, child results) while a workflow task is running are buffered and written after the
// task's WorkflowTaskCompleted event, as Temporal does, so the worker never sees events
// inserted between WorkflowTaskStarted and WorkflowTaskCompleted.
import type { TimerHandle } from './clock.js';
import type { NormalizedRetryPolicy } from './retry.js';
import { EventType, Status, type temporal, type Execution, type HistoryEvent } from './proto.js';

/** Temporal's default workflow task start-to-close timeout. */
export const DEFAULT_TASK_TIMEOUT_MS = 10_000;

type EventTypeValue = temporal.api.enums.v1.EventType;
type StatusValue = temporal.api.enums.v1.WorkflowExecutionStatus;
type Attrs = Record<string, unknown>;

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  header: temporal.api.common.v1.IHeader | null | undefined;
  input: temporal.api.common.v1.IPayloads | null | undefined;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  /** Retry policy with Temporal's defaults filled in. */
  retryPolicy: NormalizedRetryPolicy;
  attempt: number;
  state: 'scheduled' | 'started' | 'backoff';
  scheduledTime: number;
  attemptScheduledTime: number;
  startedTime: number;
  identity: string;
  requestId: string;
  heartbeatDetails: temporal.api.common.v1.IPayloads | null | undefined;
  lastHeartbeatTime: number;
  lastFailure: temporal.api.failure.v1.IFailure | null | undefined;
  cancelRequested: boolean;
  cancelRequestedEventId: number;
  /** Timers of the current attempt (schedule-to-start / start-to-close / heartbeat / backoff). */
  attemptTimers: TimerHandle[];
  heartbeatTimer: TimerHandle | null;
  scheduleToCloseTimer: TimerHandle | null;
}

export interface TimerState {
  timerId: string;
  startedEventId: number;
  handle: TimerHandle;
}

export interface ChildState {
  initiatedEventId: number;
  startedEventId: number;
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  parentClosePolicy: temporal.api.enums.v1.ParentClosePolicy;
}

export interface PendingQuery {
  id: string;
  query: temporal.api.query.v1.IWorkflowQuery;
  resolve(result: temporal.api.query.v1.IWorkflowQueryResult): void;
}

export interface WorkflowTaskState {
  state: 'scheduled' | 'started';
  scheduledEventId: number;
  startedEventId: number;
  attempt: number;
  /** Queue the task currently sits on: the sticky queue or the normal one. */
  queue: string;
  onSticky: boolean;
  scheduledTime: number;
  startedTime: number;
  timer: TimerHandle | null;
  /** Queries delivered with this task through the `queries` map. */
  queries: PendingQuery[];
  /**
   * Attempts after a failure are transient, as in Temporal: their Scheduled/Started events go to
   * the worker but enter history only if the attempt completes; failed attempts leave no trace.
   */
  transient: boolean;
  /** The transient Scheduled and Started events handed to the worker, written on completion. */
  transientEvents: HistoryEvent[];
}

export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

export class Run {
  readonly history: HistoryEvent[] = [];
  private buffered: Array<() => void> = [];
  status: StatusValue = Status.WORKFLOW_EXECUTION_STATUS_RUNNING;
  closeTime = 0;
  closeEvent: HistoryEvent | null = null;
  wft: WorkflowTaskState | null = null;
  /** Started event id of the last completed workflow task (what a sticky worker has seen). */
  previousStartedEventId = 0;
  sticky: { queue: string; scheduleToStartMs: number } | null = null;
  /** A workflow task must be scheduled as soon as the running one finishes. */
  wftNeeded = false;
  readonly activities = new Map<number, ActivityState>();
  readonly timers = new Map<string, TimerState>();
  readonly children = new Map<number, ChildState>();
  /** Queries waiting for the running workflow task to finish. */
  queuedQueries: PendingQuery[] = [];
  cancelRequested = false;
  /** Request ids of delivered signals, so a retried SignalWorkflowExecution is not applied twice. */
  readonly signalRequestIds = new Set<string>();
  /** Timers of the run itself (run timeout, execution timeout, start delay). */
  runTimers: TimerHandle[] = [];
  /** Notified on every new event and on close (history long polls). */
  readonly listeners = new Set<() => void>();
  memo: temporal.api.common.v1.IMemo | null | undefined;
  searchAttributes: temporal.api.common.v1.ISearchAttributes | null | undefined;

  constructor(
    readonly namespace: string,
    readonly workflowId: string,
    readonly runId: string,
    readonly firstRunId: string,
    readonly workflowType: string,
    readonly taskQueue: string,
    readonly startTime: number,
    readonly config: {
      executionTimeoutMs: number;
      runTimeoutMs: number;
      taskTimeoutMs: number;
      /** Absolute virtual time at which the whole chain of runs times out; 0 = never. */
      executionExpiration: number;
      requestId: string;
      parent: ParentRef | null;
      root: Execution;
      /** Delay before the first workflow task (start delay or continue-as-new backoff). */
      firstTaskDelayMs: number;
    },
    private readonly now: () => number,
  ) {}

  get execution(): { workflowId: string; runId: string } {
    return { workflowId: this.workflowId, runId: this.runId };
  }

  get isOpen(): boolean {
    return this.status === Status.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  get nextEventId(): number {
    return this.history.length + 1;
  }

  get startedAttrs(): temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes {
    return this.history[0]!.workflowExecutionStartedEventAttributes!;
  }

  /** Append an event now; returns its id. */
  write(type: EventTypeValue, attrs: Attrs): number {
    return this.append(this.buildEvent(this.nextEventId, this.now(), type, attrs));
  }

  /**
   * An event that is not (yet) in history: the transient attempts of a failing workflow task.
   * A plain object, not a protobufjs message: every value is already of its wire type (numbers,
   * enum numbers, byte buffers, nested messages as objects), which the encoder takes as it is, and
   * events are never changed once built. Converting each event with fromObject (a Long per 64-bit id,
   * a copy of every nested object) was a tenth of the server's CPU in bench:temporal.
   */
  buildEvent(eventId: number, time: number, type: EventTypeValue, attrs: Attrs): HistoryEvent {
    // The generated types say Long for 64-bit fields; the encoder takes numbers as well.
    return {
      eventId,
      eventTime: isoTimestamp(time),
      eventType: type,
      taskId: eventId,
      [attrKey(type)]: attrs,
    } as unknown as HistoryEvent;
  }

  /** Append a built event; its id must be the next one. */
  append(event: HistoryEvent): number {
    const eventId = Number(event.eventId);
    if (eventId !== this.nextEventId) throw new Error(`event id ${eventId} appended at ${this.nextEventId}`);
    this.history.push(event);
    for (const l of this.listeners) l();
    return eventId;
  }

  /**
   * Append an event that originates outside the running workflow task. `build` runs when the
   * event is actually written, so it can read ids of events buffered before it.
   */
  writeExternal(type: EventTypeValue, build: () => Attrs, onWritten?: (eventId: number) => void): void {
    const doWrite = () => {
      const id = this.write(type, build());
      onWritten?.(id);
    };
    if (this.wft?.state === 'started') this.buffered.push(doWrite);
    else doWrite();
  }

  get hasBuffered(): boolean {
    return this.buffered.length > 0;
  }

  flushBuffered(): void {
    const pending = this.buffered;
    this.buffered = [];
    for (const w of pending) w();
  }
}

function isoTimestamp(ms: number): { seconds: number; nanos: number } {
  const s = Math.floor(ms / 1000);
  return { seconds: s, nanos: (ms - s * 1000) * 1e6 };
}

const attrKeys = new Map<EventTypeValue, string>();
/** EVENT_TYPE_TIMER_FIRED -> timerFiredEventAttributes */
function attrKey(type: EventTypeValue): string {
  let key = attrKeys.get(type);
  if (!key) {
    const name = EventType[type] as unknown as string;
    const camel = name
      .replace(/^EVENT_TYPE_/, '')
      .toLowerCase()
      .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    key = `${camel}EventAttributes`;
    attrKeys.set(type, key);
  }
  return key;
}
