import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, type Workflow } from '@temporalio/workflow';

/**
 * Starts a long-lived workflow that must outlive its starter (a series continues as new, a year ends), so
 * the child is abandoned rather than cancelled when the parent closes. One already running under the same
 * deterministic id is left alone: that is what makes starting idempotent.
 */
export async function startOnce<W extends Workflow>(
  workflow: W,
  id: string,
  args: Parameters<W>,
): Promise<void> {
  try {
    await startChild<Workflow>(workflow.name, {
      workflowId: id,
      args,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
