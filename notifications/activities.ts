/**
 * The notification activities: plain async functions taking and returning plain JSON, so a Temporal worker
 * can register them as they are (`activities: { ...createNotificationActivities(deps) }`) and other
 * activities (sendConvocations, escalateDeliverable, ...) can call them directly.
 */
import { issueAnswerLinks, type IssueLinksInput } from './answers/answers';
import type { AnswersDb } from './answers/db';
import type { Outbox } from './outbox/outbox';
import type { NotificationRequest } from './outbox/request';

export interface NotificationDeps {
  db: AnswersDb;
  outbox: Outbox;
  /** PUBLIC_BASE_URL: answer links point there. */
  baseUrl: string;
  answerLinkSecret: string;
}

export function createNotificationActivities(deps: NotificationDeps) {
  return {
    /** Renders and stores the messages; idempotent on each request's key. */
    enqueueNotifications: (requests: NotificationRequest[]) => deps.outbox.enqueue(requests),

    /** Sends what is due among `keys` (or everything due). Returns counts and the earliest pending retry. */
    deliverNotifications: (filter: { keys?: string[]; limit?: number } = {}) => deps.outbox.deliver(filter),

    /**
     * Enqueue then deliver the same keys: the usual fan-out. Safe to retry as a whole: enqueue is idempotent,
     * and delivery skips what is already sent. Temporary failures stay queued; when `delivery.nextAttemptAt`
     * is set the workflow can sleep until then and call `deliverNotifications` with the same keys.
     */
    sendNotifications: (requests: NotificationRequest[]) => deps.outbox.send(requests),

    /** Answer links for one person and meeting (same links on every call for the same pair). */
    issueAnswerLinks: (input: Omit<IssueLinksInput, 'baseUrl'>) =>
      issueAnswerLinks(deps.db, deps.answerLinkSecret, { ...input, baseUrl: deps.baseUrl }),

    /** Messages that failed for good, for the coordinator (dates as ISO strings). */
    async listFailedNotifications(filter: { keyPrefix?: string } = {}) {
      const rows = await deps.outbox.listFailed(filter);
      return rows.map((row) => ({ ...row, updatedAt: row.updatedAt.toISOString() }));
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
