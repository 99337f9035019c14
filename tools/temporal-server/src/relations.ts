// Relations between executions: child workflows (start, result to the parent, parent close
// policy) and signals / cancel requests sent to other workflows.
import { randomUUID } from 'node:crypto';
import type { CommandContext, Engine } from './engine.js';
import { enums, EventType as T, toMs, type Execution, type temporal } from './proto.js';
import { DEFAULT_TASK_TIMEOUT_MS, type Run } from './run.js';

export class Relations {
  constructor(private readonly engine: Engine) {}

  initiateChild(
    run: Run,
    a: temporal.api.command.v1.IStartChildWorkflowExecutionCommandAttributes,
    ctx: CommandContext,
  ): void {
    const namespace = a.namespace || run.namespace;
    const initiatedEventId = run.write(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, {
      namespace,
      workflowId: a.workflowId,
      workflowType: a.workflowType,
      taskQueue: a.taskQueue,
      input: a.input,
      workflowExecutionTimeout: a.workflowExecutionTimeout,
      workflowRunTimeout: a.workflowRunTimeout,
      workflowTaskTimeout: a.workflowTaskTimeout,
      parentClosePolicy: a.parentClosePolicy,
      control: a.control,
      workflowTaskCompletedEventId: ctx.completedId,
      workflowIdReusePolicy: a.workflowIdReusePolicy,
      retryPolicy: a.retryPolicy,
      cronSchedule: a.cronSchedule,
      header: a.header,
      memo: a.memo,
      searchAttributes: a.searchAttributes,
    });
    const workflowType = a.workflowType?.name ?? '';
    const workflowId = a.workflowId ?? '';
    ctx.after.push(() => {
      if (!run.isOpen) return;
      const existing = this.engine.currentRun(namespace, workflowId);
      if (existing?.isOpen) {
        run.writeExternal(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED, () => ({
          namespace,
          workflowId,
          workflowType: { name: workflowType },
          cause:
            enums.StartChildWorkflowExecutionFailedCause
              .START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
          control: a.control,
          initiatedEventId,
          workflowTaskCompletedEventId: ctx.completedId,
        }));
        this.engine.scheduleWft(run);
        return;
      }
      const executionTimeoutMs = toMs(a.workflowExecutionTimeout);
      const child = {
        initiatedEventId,
        startedEventId: 0,
        namespace,
        workflowId,
        runId: '',
        workflowType,
        parentClosePolicy: a.parentClosePolicy ?? enums.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
      };
      run.children.set(initiatedEventId, child);
      const childRun = this.engine.createRun({
        namespace,
        workflowId,
        workflowType,
        taskQueue: a.taskQueue?.name || run.taskQueue,
        input: a.input,
        executionTimeoutMs,
        runTimeoutMs: toMs(a.workflowRunTimeout) || executionTimeoutMs,
        taskTimeoutMs: toMs(a.workflowTaskTimeout) || DEFAULT_TASK_TIMEOUT_MS,
        executionExpiration: executionTimeoutMs ? this.engine.clock.now() + executionTimeoutMs : 0,
        identity: ctx.identity,
        requestId: randomUUID(),
        retryPolicy: a.retryPolicy,
        memo: a.memo,
        searchAttributes: a.searchAttributes,
        header: a.header,
        firstTaskDelayMs: 0,
        parent: { namespace: run.namespace, workflowId: run.workflowId, runId: run.runId, initiatedEventId },
        root: run.config.root,
      });
      child.runId = childRun.runId;
      run.writeExternal(
        T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
        () => ({
          namespace,
          initiatedEventId,
          workflowExecution: { workflowId, runId: childRun.runId },
          workflowType: { name: workflowType },
          header: a.header,
        }),
        (id) => {
          child.startedEventId = id;
        },
      );
      this.engine.scheduleWft(run);
    });
  }

  /** Tell the parent that its child's chain of runs has closed. */
  notifyParent(child: Run, closeType: number, attrs: Record<string, unknown>): void {
    const ref = child.config.parent;
    if (!ref) return;
    const parent = this.engine.runById(ref.runId);
    const state = parent?.children.get(ref.initiatedEventId);
    if (!parent || !parent.isOpen || !state) return;
    parent.children.delete(ref.initiatedEventId);
    const map: Record<number, number> = {
      [T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
      [T.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
      [T.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
      [T.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
      [T.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
    };
    const type = map[closeType];
    if (type === undefined) return;
    parent.writeExternal(type, () => ({
      namespace: state.namespace,
      workflowExecution: { workflowId: state.workflowId, runId: state.runId },
      workflowType: { name: state.workflowType },
      initiatedEventId: state.initiatedEventId,
      startedEventId: state.startedEventId,
      result: attrs.result,
      failure: attrs.failure,
      details: attrs.details,
      retryState: attrs.retryState,
    }));
    this.engine.scheduleWft(parent);
  }

  initiateSignal(
    run: Run,
    a: temporal.api.command.v1.ISignalExternalWorkflowExecutionCommandAttributes,
    ctx: CommandContext,
  ): void {
    const namespace = a.namespace || run.namespace;
    const initiatedEventId = run.write(T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, {
      workflowTaskCompletedEventId: ctx.completedId,
      namespace,
      workflowExecution: a.execution,
      signalName: a.signalName,
      input: a.input,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      header: a.header,
    });
    ctx.after.push(() => {
      if (!run.isOpen) return;
      const target = this.tryOpenRun(namespace, a.execution);
      if (target) {
        this.engine.signal(target, a.signalName ?? '', a.input, a.header, `workflow:${run.workflowId}`, {
          workflowId: run.workflowId,
          runId: run.runId,
        });
        run.writeExternal(T.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, () => ({
          initiatedEventId,
          namespace,
          workflowExecution: target.execution,
          control: a.control,
        }));
      } else {
        run.writeExternal(T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, () => ({
          cause:
            enums.SignalExternalWorkflowExecutionFailedCause
              .SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
          workflowTaskCompletedEventId: ctx.completedId,
          namespace,
          workflowExecution: a.execution,
          initiatedEventId,
          control: a.control,
        }));
      }
      this.engine.scheduleWft(run);
    });
  }

  initiateCancel(
    run: Run,
    a: temporal.api.command.v1.IRequestCancelExternalWorkflowExecutionCommandAttributes,
    ctx: CommandContext,
  ): void {
    const namespace = a.namespace || run.namespace;
    const execution = { workflowId: a.workflowId, runId: a.runId };
    const initiatedEventId = run.write(T.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, {
      workflowTaskCompletedEventId: ctx.completedId,
      namespace,
      workflowExecution: execution,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      reason: a.reason,
    });
    ctx.after.push(() => {
      if (!run.isOpen) return;
      const target = this.tryOpenRun(namespace, execution);
      if (target) {
        this.engine.requestCancel(target, `workflow:${run.workflowId}`, a.reason ?? '', {
          initiatedEventId,
          execution: run.execution,
        });
        run.writeExternal(T.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, () => ({
          initiatedEventId,
          namespace,
          workflowExecution: target.execution,
        }));
      } else {
        run.writeExternal(T.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, () => ({
          cause:
            enums.CancelExternalWorkflowExecutionFailedCause
              .CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
          workflowTaskCompletedEventId: ctx.completedId,
          namespace,
          workflowExecution: execution,
          initiatedEventId,
          control: a.control,
        }));
      }
      this.engine.scheduleWft(run);
    });
  }

  private tryOpenRun(namespace: string, exec: Execution | null | undefined): Run | undefined {
    try {
      const run = this.engine.findRun(namespace, exec);
      return run.isOpen ? run : undefined;
    } catch {
      return undefined;
    }
  }

  applyParentClosePolicy(run: Run): void {
    const P = enums.ParentClosePolicy;
    for (const child of run.children.values()) {
      const target = this.engine.currentRun(child.namespace, child.workflowId);
      if (!target?.isOpen || target.config.parent?.runId !== run.runId) continue;
      if (child.parentClosePolicy === P.PARENT_CLOSE_POLICY_ABANDON) continue;
      if (child.parentClosePolicy === P.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
        this.engine.requestCancel(target, 'parent close policy', 'parent closed');
      } else {
        this.engine.terminate(target, 'by parent close policy', null, 'parent close policy');
      }
    }
    run.children.clear();
  }
}
