/**
 * What the API and the reconciler call to start workflows and to forward what people do as signals.
 *
 * Contract with the API: it validates input, stores uploaded files and audits who acted; the workflow
 * persists the lifecycle change itself (new times and revision, cancellation, agenda addendum, deliverable
 * stage and due date) through its activities, so a change is applied once, in order, and the messages it
 * causes are sent exactly once. Starting is idempotent: ids are deterministic and an already running
 * workflow is left alone.
 */
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
// SDK-internal (not in the package's index): how @temporalio/testing reaches a server's test service. A
// release that drops it fails the typecheck, not production: only time-skipping servers need it.
import {
  InternalConnectionOptionsSymbol,
  type InternalConnectionOptions,
} from '@temporalio/client/lib/connection';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { requiredTsToMs } from '@temporalio/common/lib/time';
import { annualCycleWorkflow } from './annual';
import { complianceMonitorWorkflow } from './compliance';
import {
  DEFAULT_TASK_QUEUE,
  workflowId,
  type AgendaAddendum,
  type AnswerNotice,
  type AttendanceRecord,
  type CancelRequest,
  type DeliverableStage,
  type MinutesExtension,
  type RescheduleRequest,
} from './contracts';
import { deliverableWorkflow, type DeliverableState } from './deliverable';
import { meetingWorkflow, type MeetingState } from './meeting';
import { seriesWorkflow } from './series';

export interface GovernanceClient {
  client: Client;
  taskQueue: string;
}

export async function connectGovernanceClient(options: {
  address: string;
  namespace?: string;
  taskQueue?: string;
  /** The server skips time (TEMPORAL_TIME_SKIPPING): `now` reads its virtual clock. */
  virtualTime?: boolean;
}): Promise<GovernanceClient & { now(): Promise<number>; close(): Promise<void> }> {
  const connectionOptions: InternalConnectionOptions = {
    address: options.address,
    // The test service is where a time-skipping server tells its clock.
    [InternalConnectionOptionsSymbol]: { supportsTestService: options.virtualTime ?? false },
  };
  const connection = await Connection.connect(connectionOptions);
  const client = new Client({ connection, namespace: options.namespace ?? 'default' });
  const testService = connection.testService;
  return {
    client,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    /**
     * The process's current instant in ms. On a time-skipping server that is the server's virtual time, so
     * an API process beside a simulated worker judges answer links and meeting starts as the workflows do.
     */
    now: async () => {
      if (!testService) return Date.now();
      const { time } = await testService.getCurrentTime({});
      return requiredTsToMs(time, 'time');
    },
    close: () => connection.close(),
  };
}

interface StartOptions {
  workflowId: string;
  taskQueue: string;
  workflowIdReusePolicy: WorkflowIdReusePolicy;
}

/**
 * Starts unless that id is running or has completed; returns true when it started one. A run that failed,
 * timed out or was terminated may be started again (that is what the reconciler is for); one that
 * completed did its job and is not repeated.
 */
async function startOnce(
  gc: GovernanceClient,
  id: string,
  start: (options: StartOptions) => Promise<unknown>,
): Promise<boolean> {
  try {
    await start({
      workflowId: id,
      taskQueue: gc.taskQueue,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

export function startMeetingWorkflow(gc: GovernanceClient, meetingId: string): Promise<boolean> {
  return startOnce(gc, workflowId.meeting(meetingId), (o) =>
    gc.client.workflow.start(meetingWorkflow, { ...o, args: [{ meetingId }] }),
  );
}

export function startDeliverableWorkflow(gc: GovernanceClient, deliverableId: string): Promise<boolean> {
  return startOnce(gc, workflowId.deliverable(deliverableId), (o) =>
    gc.client.workflow.start(deliverableWorkflow, { ...o, args: [{ deliverableId }] }),
  );
}

/** `after`: plan occurrences strictly after this instant (usually now). */
export function startSeriesWorkflow(gc: GovernanceClient, bodyId: string, after: string): Promise<boolean> {
  return startOnce(gc, workflowId.series(bodyId), (o) =>
    gc.client.workflow.start(seriesWorkflow, { ...o, args: [{ bodyId, after }] }),
  );
}

export function startAnnualCycle(
  gc: GovernanceClient,
  ambitoId: string,
  year: number,
  options: { seriesFrom?: string; lastYear?: number } = {},
): Promise<boolean> {
  return startOnce(gc, workflowId.annual(ambitoId, year), (o) =>
    gc.client.workflow.start(annualCycleWorkflow, { ...o, args: [{ ambitoId, year, ...options }] }),
  );
}

export function startComplianceMonitor(
  gc: GovernanceClient,
  ambitoId: string,
  until?: string,
): Promise<boolean> {
  return startOnce(gc, workflowId.compliance(ambitoId), (o) =>
    gc.client.workflow.start(complianceMonitorWorkflow, { ...o, args: [{ ambitoId, until }] }),
  );
}

/** Every signal a meeting accepts, by name, with its payload. */
export interface MeetingSignals {
  releaseConvocation: [];
  reschedule: [RescheduleRequest];
  cancel: [CancelRequest];
  agendaAddendum: [AgendaAddendum];
  answer: [AnswerNotice];
  attendance: [AttendanceRecord];
  minutesSubmitted: [];
  minutesApproved: [];
  minutesDeadlineExtended: [MinutesExtension];
}

/** Thrown when the target workflow does not run: the caller answers 409 and the reconciler will heal it. */
export class WorkflowNotRunningError extends Error {
  constructor(readonly workflowId: string) {
    super(`Il processo ${workflowId} non è attivo`);
  }
}

async function signal(gc: GovernanceClient, id: string, name: string, args: unknown[]): Promise<void> {
  try {
    await gc.client.workflow.getHandle(id).signal(name, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new WorkflowNotRunningError(id);
    throw err;
  }
}

export function signalMeeting<K extends keyof MeetingSignals>(
  gc: GovernanceClient,
  meetingId: string,
  name: K,
  ...args: MeetingSignals[K]
): Promise<void> {
  return signal(gc, workflowId.meeting(meetingId), name, args);
}

export interface DeliverableSignals {
  submitted: [{ stage: DeliverableStage; by?: string }];
  approved: [{ by?: string }];
  extended: [{ dueAt: string; reason: string; by?: string }];
  waived: [{ reason: string; by?: string }];
}

export function signalDeliverable<K extends keyof DeliverableSignals>(
  gc: GovernanceClient,
  deliverableId: string,
  name: K,
  ...args: DeliverableSignals[K]
): Promise<void> {
  return signal(gc, workflowId.deliverable(deliverableId), name, args);
}

/**
 * A body's rules changed: its series applies them from the next occurrence. Signal-with-start, because a
 * body that had no cadence may have no series running yet; `after` (now) is where a new series starts.
 */
export async function signalRulesChanged(gc: GovernanceClient, bodyId: string, after: string): Promise<void> {
  await gc.client.workflow.signalWithStart<typeof seriesWorkflow, []>(seriesWorkflow, {
    workflowId: workflowId.series(bodyId),
    taskQueue: gc.taskQueue,
    args: [{ bodyId, after }],
    signal: 'rulesChanged',
    signalArgs: [],
  });
}

export function queryMeeting(gc: GovernanceClient, meetingId: string): Promise<MeetingState> {
  return gc.client.workflow.getHandle(workflowId.meeting(meetingId)).query<MeetingState>('state');
}

export function queryDeliverable(gc: GovernanceClient, deliverableId: string): Promise<DeliverableState> {
  return gc.client.workflow.getHandle(workflowId.deliverable(deliverableId)).query<DeliverableState>('state');
}
