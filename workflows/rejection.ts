/**
 * A change someone asked for that the rules refuse (a reschedule ending before it starts, an addendum
 * within 24 hours, a malformed date). The activity records why (audit event) and fails without retry;
 * the workflow then ignores that one change and carries on: a bad signal must never end a process.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

export const REJECTED = 'Rejected';

export function isRejection(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === REJECTED &&
    err.cause.nonRetryable === true
  );
}
