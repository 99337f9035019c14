// Child workflows and interaction with external workflows.
import {
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { approve, echo, failWith } from './basics';

export async function waitForever(): Promise<void> {
  await condition(() => false);
}

export type ChildMode = 'complete' | 'fail' | 'cancel';

export async function parentOf(mode: ChildMode): Promise<string> {
  const workflowId = `${workflowInfo().workflowId}-child`;
  if (mode === 'complete') return `child said ${await executeChild(echo, { workflowId, args: ['hello'] })}`;
  if (mode === 'fail') {
    try {
      await executeChild(failWith, { workflowId, args: ['ChildBoom'] });
      return 'child did not fail';
    } catch (err) {
      if (err instanceof ChildWorkflowFailure && err.cause instanceof ApplicationFailure) {
        return `caught ${err.cause.type}`;
      }
      throw err;
    }
  }
  let started = false;
  const scope = new CancellationScope();
  const result = scope.run(async () => {
    const child = await startChild(waitForever, { workflowId });
    started = true;
    await child.result();
  });
  await condition(() => started);
  scope.cancel();
  try {
    await result;
    return 'child was not cancelled';
  } catch (err) {
    if (err instanceof ChildWorkflowFailure && isCancellation(err.cause)) return 'child cancelled';
    throw err;
  }
}

/** Starts a never-ending child with the given close policy and returns right after it started. */
export async function parentWithPolicy(policy: ParentClosePolicy): Promise<string> {
  const workflowId = `${workflowInfo().workflowId}-child`;
  await startChild(waitForever, { workflowId, parentClosePolicy: policy });
  return workflowId;
}

export async function signalExternal(targetWorkflowId: string): Promise<void> {
  await getExternalWorkflowHandle(targetWorkflowId).signal(approve, 'external workflow');
}

export async function cancelExternal(targetWorkflowId: string): Promise<void> {
  await getExternalWorkflowHandle(targetWorkflowId).cancel();
}

/** Signals a workflow id that does not exist and reports what the SDK raised. */
export async function signalMissing(targetWorkflowId: string): Promise<string> {
  try {
    await getExternalWorkflowHandle(targetWorkflowId).signal(approve, 'nobody');
    return 'delivered';
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
}

/** Starts a child, then tries to start a second child with the same workflow id. */
export async function duplicateChild(): Promise<string> {
  const workflowId = `${workflowInfo().workflowId}-child`;
  await startChild(waitForever, { workflowId });
  try {
    await startChild(waitForever, { workflowId });
    return 'second child started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return `already started: ${err.workflowId}`;
    throw err;
  }
}
