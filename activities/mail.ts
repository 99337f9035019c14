/**
 * Sending from an activity: enqueue (idempotent on the keys) then deliver those rows at once. A message
 * that meets a temporary failure stays queued in the outbox and the activity fails, so Temporal retries it
 * with backoff; a retry re-enqueues nothing (same keys) and sends only what is still due. Permanent
 * failures are recorded on the row for the coordinator and do not block the other recipients.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { NotificationRequest } from '../notifications/outbox/request';
import type { SentSummary } from '../workflows/contracts';
import { outboxFor, type ActivityDeps } from './context';

export async function sendMessages(
  deps: ActivityDeps,
  requests: NotificationRequest[],
): Promise<SentSummary> {
  if (requests.length === 0) return { messages: 0 };
  const outbox = outboxFor(deps);
  await outbox.enqueue(requests);
  const result = await outbox.deliver({ keys: requests.map((r) => r.key) });
  if (result.retrying > 0) {
    throw ApplicationFailure.retryable(
      `${result.retrying} messaggi in attesa di un nuovo tentativo (prossimo: ${result.nextAttemptAt})`,
      'OutboxRetry',
    );
  }
  return { messages: requests.length };
}
