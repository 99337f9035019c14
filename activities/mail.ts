/**
 * Sending from an activity: enqueue (idempotent on the keys) then deliver those rows at once. The activity
 * succeeds only when none of its messages is still waiting: a message that meets a temporary failure, or
 * that an interrupted attempt still holds under its outbox lease (a worker killed mid-send), makes it fail
 * so Temporal retries it with backoff, and the workflow never moves on believing a message went out that
 * has not. A retry re-enqueues nothing (same keys) and sends only what is due. Permanent failures are
 * recorded on the row for the coordinator and do not block the other recipients.
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
  if (result.pending > 0) {
    throw ApplicationFailure.retryable(
      `${result.pending} messaggi non ancora inviati: nuovo tentativo dalle ${result.nextAttemptAt}`,
      'OutboxRetry',
    );
  }
  return { messages: requests.length };
}
