/**
 * Workflow-side time: Date.now() inside a workflow is Temporal's deterministic clock (it jumps under
 * time skipping), and instants are ISO strings with an offset, which Date.parse reads exactly.
 */
import { condition } from '@temporalio/workflow';

export function msUntil(iso: string): number {
  return Date.parse(iso) - Date.now();
}

/** Sleeps until `iso` unless `wake` becomes true first; returns true when woken early. */
export async function waitUntil(iso: string, wake: () => boolean): Promise<boolean> {
  const ms = msUntil(iso);
  if (ms <= 0) return wake();
  return condition(wake, ms);
}
