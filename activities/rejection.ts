import { ApplicationFailure } from '@temporalio/activity';
import { REJECTED } from '../workflows/rejection';

/** Fails the activity for good with an Italian reason the coordinator reads (see workflows/rejection.ts). */
export function rejection(reason: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(reason, REJECTED);
}
