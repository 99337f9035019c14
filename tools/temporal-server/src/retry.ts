// Retry policies, shared by activities and workflows: Temporal's defaults and the decision
// "retry after how long, or stop with which RetryState".
import { fromMs, RetryState, toMs, type Duration, type temporal } from './proto.js';

export interface NormalizedRetryPolicy {
  initialInterval: Duration;
  backoffCoefficient: number;
  maximumInterval: Duration;
  /** 0 = unlimited. */
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

export function normalizeRetryPolicy(
  given: temporal.api.common.v1.IRetryPolicy | null | undefined,
): NormalizedRetryPolicy {
  const initialMs = toMs(given?.initialInterval) || 1000;
  return {
    initialInterval: fromMs(initialMs),
    backoffCoefficient: given?.backoffCoefficient || 2,
    maximumInterval: fromMs(toMs(given?.maximumInterval) || initialMs * 100),
    maximumAttempts: given?.maximumAttempts ?? 0,
    nonRetryableErrorTypes: given?.nonRetryableErrorTypes ?? [],
  };
}

export interface RetryDecision {
  /** null: do not retry. */
  delayMs: number | null;
  state: temporal.api.enums.v1.RetryState;
}

/**
 * @param attempt the attempt that just failed (1-based)
 * @param deadline absolute time after which no attempt may start; 0 = none
 * @param retryable false for failures that are never retried (e.g. non-retryable timeouts)
 */
export function decideRetry(
  policy: NormalizedRetryPolicy,
  attempt: number,
  failure: temporal.api.failure.v1.IFailure,
  now: number,
  deadline: number,
  retryable = true,
): RetryDecision {
  const info = failure.applicationFailureInfo;
  const nonRetryable =
    !retryable ||
    Boolean(info?.nonRetryable) ||
    (info ? policy.nonRetryableErrorTypes.includes(info.type ?? '') : false);
  if (nonRetryable) return { delayMs: null, state: RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE };
  if (policy.maximumAttempts && attempt >= policy.maximumAttempts) {
    return { delayMs: null, state: RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED };
  }
  const computed = toMs(policy.initialInterval) * Math.pow(policy.backoffCoefficient, attempt - 1);
  const delayMs = toMs(info?.nextRetryDelay) || Math.min(computed, toMs(policy.maximumInterval));
  if (deadline && now + delayMs >= deadline) return { delayMs: null, state: RetryState.RETRY_STATE_TIMEOUT };
  return { delayMs, state: RetryState.RETRY_STATE_IN_PROGRESS };
}
