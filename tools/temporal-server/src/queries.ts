// Queries: delivered with a scheduled workflow task (`queries` map), after a running one, or as
// legacy query tasks answered through RespondQueryTaskCompleted.
import { randomUUID } from 'node:crypto';
import type { Engine, WorkflowQueueItem } from './engine.js';
import { invalidArgument, notFound, queryFailed } from './errors.js';
import { enums, type temporal } from './proto.js';
import type { PendingQuery, Run } from './run.js';
import { queueKey } from './task-queues.js';
import { decodeToken, encodeToken } from './tokens.js';

type QueryItem = WorkflowQueueItem & { kind: 'query' };

export class Queries {
  private readonly legacyQueries = new Map<string, QueryItem>();

  constructor(private readonly engine: Engine) {}

  query(
    run: Run,
    query: temporal.api.query.v1.IWorkflowQuery,
  ): Promise<temporal.api.query.v1.IWorkflowQueryResult> {
    return new Promise((resolve) => {
      const q: PendingQuery = { id: randomUUID(), query, resolve };
      if (run.isOpen && run.wft?.state === 'scheduled') run.wft.queries.push(q);
      else if (run.isOpen && run.wft?.state === 'started') run.queuedQueries.push(q);
      else this.dispatchLegacy(run, q);
    });
  }

  async result(
    run: Run,
    query: temporal.api.query.v1.IWorkflowQuery,
  ): Promise<temporal.api.common.v1.IPayloads | null> {
    const r = await this.query(run, query);
    if (r.resultType === enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED) return r.answer ?? null;
    throw queryFailed(r.errorMessage || r.failure?.message || 'query failed', r.failure);
  }

  routeQueued(run: Run): void {
    if (run.queuedQueries.length === 0 || (run.isOpen && run.wft)) return;
    const qs = run.queuedQueries;
    run.queuedQueries = [];
    for (const q of qs) this.dispatchLegacy(run, q);
  }

  /** A query task outside any workflow task: to the sticky worker if any, else the normal queue. */
  dispatchLegacy(run: Run, query: PendingQuery): void {
    const item: QueryItem = { kind: 'query', run, query, taken: false };
    this.legacyQueries.set(query.id, item);
    const sticky = run.isOpen ? run.sticky : null;
    this.engine.workflowQueues.add(queueKey(run.namespace, sticky?.queue ?? run.taskQueue), item);
    if (sticky) {
      this.engine.clock.after(sticky.scheduleToStartMs || 5000, () => {
        if (item.taken || !this.legacyQueries.has(query.id)) return;
        run.sticky = null;
        this.engine.workflowQueues.add(queueKey(run.namespace, run.taskQueue), item);
      });
    }
  }

  take(item: QueryItem, queueName: string): Record<string, unknown> | null {
    if (item.taken || !this.legacyQueries.has(item.query.id)) return null;
    item.taken = true;
    const run = item.run;
    const onSticky = queueName !== run.taskQueue;
    return {
      taskToken: encodeToken({ k: 'query', queryId: item.query.id }),
      workflowExecution: run.execution,
      workflowType: { name: run.workflowType },
      previousStartedEventId: run.previousStartedEventId,
      startedEventId: 0,
      attempt: 1,
      // A sticky worker answers from its cache; anyone else replays the full history.
      history: { events: onSticky ? [] : run.history.slice() },
      query: item.query.query,
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    };
  }

  respond(req: temporal.api.workflowservice.v1.IRespondQueryTaskCompletedRequest): void {
    const t = decodeToken(req.taskToken);
    if (t.k !== 'query') throw invalidArgument('not a query task token');
    const item = this.legacyQueries.get(t.queryId);
    if (!item) throw notFound('query task not found');
    this.legacyQueries.delete(t.queryId);
    const answered = req.completedType === enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED;
    item.query.resolve({
      resultType: answered
        ? enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED
        : enums.QueryResultType.QUERY_RESULT_TYPE_FAILED,
      answer: req.queryResult,
      errorMessage: req.errorMessage,
      failure: req.failure,
    });
  }
}
