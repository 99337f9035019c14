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
