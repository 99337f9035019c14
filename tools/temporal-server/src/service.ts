// WorkflowService handlers: map gRPC requests onto the engine. Methods missing here answer
// UNIMPLEMENTED (see server.ts).
import { randomUUID } from 'node:crypto';
import type { Engine, LongPoll } from './engine.js';
import { status } from '@grpc/grpc-js';
import { invalidArgument, RpcError } from './errors.js';
import { enums, fromMs, optDuration, pb, type temporal } from './proto.js';
import { countRuns, executionInfo, listRuns } from './visibility.js';

export interface CallContext {
  /** Long-poll budget: aborted when the call is cancelled. */
  poll: LongPoll;
}
export type Handler = (req: never, ctx: CallContext) => unknown;

type W = typeof pb.temporal.api.workflowservice.v1;
/** The plain-object request type of a WorkflowService message, e.g. I<'StartWorkflowExecutionRequest'>. */
type Creatable = { create(properties?: object): unknown };
type I<K extends keyof W> = W[K] extends Creatable ? NonNullable<Parameters<W[K]['create']>[0]> : never;

export const SERVER_VERSION = '1.24.0-in-memory';

export function workflowServiceHandlers(engine: Engine): Record<string, Handler> {
  const ns = (n: string | null | undefined) => n || 'default';
  const activities = engine.activities;

  const handlers = {
    GetSystemInfo: () => ({
      serverVersion: SERVER_VERSION,
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        encodedFailureAttributes: true,
        upsertMemo: true,
        sdkMetadata: true,
      },
    }),
    GetClusterInfo: () => ({ clusterName: 'in-memory', serverVersion: SERVER_VERSION, historyShardCount: 1 }),
    DescribeNamespace: (req: I<'DescribeNamespaceRequest'>) => ({
      namespaceInfo: {
        name: req.namespace || 'default',
        id: req.id || req.namespace || 'default',
        state: enums.NamespaceState.NAMESPACE_STATE_REGISTERED,
      },
      config: { workflowExecutionRetentionTtl: fromMs(24 * 3600 * 1000) },
      isGlobalNamespace: false,
    }),
    GetSearchAttributes: () => ({ keys: {} }),

    StartWorkflowExecution: (req: I<'StartWorkflowExecutionRequest'>) => {
      const { run, started } = engine.startWorkflow(req);
      return { runId: run.runId, started, status: run.status };
    },
    SignalWithStartWorkflowExecution: (req: I<'SignalWithStartWorkflowExecutionRequest'>) => {
      const namespace = ns(req.namespace);
      const current = engine.currentRun(namespace, req.workflowId ?? '');
      const identity = req.identity ?? '';
      if (current?.isOpen) {
        engine.signal(current, req.signalName ?? '', req.signalInput, req.header, identity);
        return { runId: current.runId, started: false };
      }
      const { run, started } = engine.startWorkflow(
        {
          ...req,
          requestId: req.requestId || randomUUID(),
        } as temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest,
        (r) => engine.signal(r, req.signalName ?? '', req.signalInput, req.header, identity),
      );
      return { runId: run.runId, started };
    },
    SignalWorkflowExecution: (req: I<'SignalWorkflowExecutionRequest'>) => {
      const run = engine.findOpenRun(ns(req.namespace), req.workflowExecution);
      // A retried call carries the same request id: deliver the signal once.
      if (req.requestId && run.signalRequestIds.has(req.requestId)) return {};
      if (req.requestId) run.signalRequestIds.add(req.requestId);
      engine.signal(run, req.signalName ?? '', req.input, req.header, req.identity ?? '');
      return {};
    },
    RequestCancelWorkflowExecution: (req: I<'RequestCancelWorkflowExecutionRequest'>) => {
      const run = engine.findOpenRun(ns(req.namespace), req.workflowExecution);
      engine.requestCancel(run, req.identity ?? '', req.reason ?? '');
      return {};
    },
    TerminateWorkflowExecution: (req: I<'TerminateWorkflowExecutionRequest'>) => {
      const run = engine.findOpenRun(ns(req.namespace), req.workflowExecution);
      engine.terminate(run, req.reason ?? '', req.details, req.identity ?? '');
      return {};
    },
    DeleteWorkflowExecution: (req: I<'DeleteWorkflowExecutionRequest'>) => {
      engine.deleteRun(engine.findRun(ns(req.namespace), req.workflowExecution), 'delete');
      return {};
    },
    ListNamespaces: () => ({
      namespaces: [
        {
          namespaceInfo: {
            name: 'default',
            id: 'default',
            state: enums.NamespaceState.NAMESPACE_STATE_REGISTERED,
          },
          config: { workflowExecutionRetentionTtl: fromMs(24 * 3600 * 1000) },
        },
      ],
    }),
    QueryWorkflow: async (req: I<'QueryWorkflowRequest'>, ctx: CallContext) => {
      const run = engine.findRun(ns(req.namespace), req.execution);
      if (!req.query?.queryType) throw invalidArgument('query type is required');
      // Without a worker nobody answers: give up like a long poll does instead of hanging forever.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new RpcError(status.DEADLINE_EXCEEDED, 'query timed out: no worker answered it')),
          ctx.poll.timeoutMs,
        );
      });
      try {
        return { queryResult: await Promise.race([engine.queries.result(run, req.query), timeout]) };
      } finally {
        clearTimeout(timer);
      }
    },
    DescribeWorkflowExecution: (req: I<'DescribeWorkflowExecutionRequest'>) => {
      const run = engine.findRun(ns(req.namespace), req.execution);
      const wft = run.wft;
      return {
        executionConfig: {
          taskQueue: { name: run.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          workflowExecutionTimeout: optDuration(run.config.executionTimeoutMs),
          workflowRunTimeout: optDuration(run.config.runTimeoutMs),
          defaultWorkflowTaskTimeout: fromMs(run.config.taskTimeoutMs),
        },
        workflowExecutionInfo: executionInfo(run),
        pendingActivities: activities.describe(run),
        pendingChildren: [...run.children.values()].map((c) => ({
          workflowId: c.workflowId,
          runId: c.runId,
          workflowTypeName: c.workflowType,
          initiatedId: c.initiatedEventId,
          parentClosePolicy: c.parentClosePolicy,
        })),
        pendingWorkflowTask: wft
          ? {
              state:
                wft.state === 'started'
                  ? enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
                  : enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
              scheduledTime: fromMs(wft.scheduledTime),
              startedTime: wft.startedTime ? fromMs(wft.startedTime) : undefined,
              attempt: wft.attempt,
            }
          : undefined,
      };
    },
    GetWorkflowExecutionHistory: async (req: I<'GetWorkflowExecutionHistoryRequest'>, ctx: CallContext) => {
      const run = engine.findRun(ns(req.namespace), req.execution);
      const { events, nextPageToken } = await engine.history(run, req, ctx.poll);
      return { history: { events }, nextPageToken };
    },
    GetWorkflowExecutionHistoryReverse: (req: I<'GetWorkflowExecutionHistoryReverseRequest'>) => {
      const run = engine.findRun(ns(req.namespace), req.execution);
      return { history: { events: [...run.history].reverse() } };
    },
    ListWorkflowExecutions: (req: I<'ListWorkflowExecutionsRequest'>) =>
      listRuns(engine.allRuns, ns(req.namespace), req.query, req.pageSize ?? 0, req.nextPageToken),
    ScanWorkflowExecutions: (req: I<'ScanWorkflowExecutionsRequest'>) =>
      listRuns(engine.allRuns, ns(req.namespace), req.query, req.pageSize ?? 0, req.nextPageToken),
    CountWorkflowExecutions: (req: I<'CountWorkflowExecutionsRequest'>) => ({
      count: countRuns(engine.allRuns, ns(req.namespace), req.query),
    }),

    PollWorkflowTaskQueue: (req: I<'PollWorkflowTaskQueueRequest'>, ctx: CallContext) =>
      engine.pollWorkflowTask(
        ns(req.namespace),
        req.taskQueue?.name ?? '',
        req.identity ?? '',
        ctx.poll,
        req.taskQueue?.kind === enums.TaskQueueKind.TASK_QUEUE_KIND_STICKY,
      ),
    RespondWorkflowTaskCompleted: (req: I<'RespondWorkflowTaskCompletedRequest'>, ctx: CallContext) => ({
      activityTasks: engine.completeWorkflowTask(req, ctx.poll.connection),
    }),
    RespondWorkflowTaskFailed: (req: I<'RespondWorkflowTaskFailedRequest'>) => {
      engine.failWorkflowTask(req);
      return {};
    },
    RespondQueryTaskCompleted: (req: I<'RespondQueryTaskCompletedRequest'>) => {
      engine.queries.respond(req);
      return {};
    },
    ResetStickyTaskQueue: (req: I<'ResetStickyTaskQueueRequest'>) => {
      engine.resetSticky(engine.findRun(ns(req.namespace), req.execution));
      return {};
    },
    ShutdownWorker: (req: I<'ShutdownWorkerRequest'>) => {
      engine.shutdownWorker(ns(req.namespace), req.stickyTaskQueue ?? '');
      return {};
    },
    DescribeTaskQueue: () => ({ pollers: [] }),

    PollActivityTaskQueue: (req: I<'PollActivityTaskQueueRequest'>, ctx: CallContext) =>
      activities.poll(ns(req.namespace), req.taskQueue?.name ?? '', req.identity ?? '', ctx.poll),
    RecordActivityTaskHeartbeat: (req: I<'RecordActivityTaskHeartbeatRequest'>) =>
      activities.heartbeat(activities.byToken(req.taskToken), req.details),
    RecordActivityTaskHeartbeatById: (req: I<'RecordActivityTaskHeartbeatByIdRequest'>) =>
      activities.heartbeat(
        activities.resolveById(
          ns(req.namespace),
          req.workflowId ?? '',
          req.runId ?? '',
          req.activityId ?? '',
        ),
        req.details,
      ),
    RespondActivityTaskCompleted: (req: I<'RespondActivityTaskCompletedRequest'>) => {
      activities.complete(activities.byToken(req.taskToken), req.result, req.identity ?? '');
      return {};
    },
    RespondActivityTaskCompletedById: (req: I<'RespondActivityTaskCompletedByIdRequest'>) => {
      const target = activities.resolveById(
        ns(req.namespace),
        req.workflowId ?? '',
        req.runId ?? '',
        req.activityId ?? '',
      );
      activities.complete(target, req.result, req.identity ?? '');
      return {};
    },
    RespondActivityTaskFailed: (req: I<'RespondActivityTaskFailedRequest'>) => {
      activities.fail(
        activities.byToken(req.taskToken),
        req.failure,
        req.lastHeartbeatDetails,
        req.identity ?? '',
      );
      return {};
    },
    RespondActivityTaskFailedById: (req: I<'RespondActivityTaskFailedByIdRequest'>) => {
      const target = activities.resolveById(
        ns(req.namespace),
        req.workflowId ?? '',
        req.runId ?? '',
        req.activityId ?? '',
      );
      activities.fail(target, req.failure, req.lastHeartbeatDetails, req.identity ?? '');
      return {};
    },
    RespondActivityTaskCanceled: (req: I<'RespondActivityTaskCanceledRequest'>) => {
      activities.canceled(activities.byToken(req.taskToken), req.details, req.identity ?? '');
      return {};
    },
    RespondActivityTaskCanceledById: (req: I<'RespondActivityTaskCanceledByIdRequest'>) => {
      const target = activities.resolveById(
        ns(req.namespace),
        req.workflowId ?? '',
        req.runId ?? '',
        req.activityId ?? '',
      );
      activities.canceled(target, req.details, req.identity ?? '');
      return {};
    },
  };
  return handlers as unknown as Record<string, Handler>;
}
