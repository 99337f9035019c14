/**
 * Sending from an activity: `outbox.send` stores the messages (idempotent on the keys) already claimed by
 * this attempt and sends them as they land. The activity succeeds only when none of its messages is still
 * waiting: a message that meets a temporary failure, or that an interrupted attempt still holds under its
 * outbox lease (a worker killed mid-send), makes it fail so Temporal retries it with backoff, and the
 * workflow never moves on believing a message went out that has not. A retry re-stores nothing (same keys)
 * and sends only what is due. Permanent failures are recorded on the row for the coordinator and do not
 * block the other recipients.
 *
 * Stored claimed, not queued: a queued row could be taken by the outbox pump before this attempt claims it,
 * and the attempt would then fail and wait out its backoff for a message that was on its way.
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
  const { delivery: result } = await outboxFor(deps).send(requests);
  if (result.pending > 0) {
    throw ApplicationFailure.retryable(
      `${result.pending} messaggi non ancora inviati: nuovo tentativo dalle ${result.nextAttemptAt}`,
      'OutboxRetry',
    );
  }
  return { messages: requests.length };
}
