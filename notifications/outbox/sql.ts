/**
 * The three statements on the hot path of a fan-out, in SQL because each handles a whole batch in one
 * round trip (Prisma's createMany binds one parameter per cell and updates one row per call; on 500
 * messages that cost more than the SMTP work itself). Everything else uses the Prisma client.
 */
import type { ClaimedRow, OutboxDb } from './db';

export interface NewRow {
  idempotencyKey: string;
  kind: string;
  channel: 'email' | 'pec';
  status: 'queued' | 'failed';
  recipientEmail: string;
  recipientName: string | null;
  personId: string | null;
  subject: string;
  htmlBody: string;
  textBody: string;
  ics: string | null;
  messageId: string;
  lastError: string | null;
}

/** INSERT ... ON CONFLICT DO NOTHING: returns the keys of the rows created (existing keys are left untouched). */
export async function insertRows(db: OutboxDb, rows: NewRow[], at: Date): Promise<Set<string>> {
  const column = <K extends keyof NewRow>(key: K) => rows.map((r) => r[key]);
  const created = await db.$queryRaw<{ idempotencyKey: string }[]>`
    INSERT INTO "OutboxMessage" ("idempotencyKey", kind, channel, status, "recipientEmail", "recipientName",
      "personId", subject, "htmlBody", "textBody", ics, "messageId", "lastError", "nextAttemptAt", "createdAt", "updatedAt")
    SELECT k, kind, ch::"MessageChannel", st::"OutboxStatus", email, name, pid::uuid, subj, html, txt, ics, mid, err,
      ${at}, ${at}, ${at}
    FROM unnest(${column('idempotencyKey')}::text[], ${column('kind')}::text[], ${column('channel')}::text[],
      ${column('status')}::text[], ${column('recipientEmail')}::text[], ${column('recipientName')}::text[],
      ${column('personId')}::text[], ${column('subject')}::text[], ${column('htmlBody')}::text[],
      ${column('textBody')}::text[], ${column('ics')}::text[], ${column('messageId')}::text[], ${column('lastError')}::text[])
      AS t(k, kind, ch, st, email, name, pid, subj, html, txt, ics, mid, err)
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING "idempotencyKey"`;
  return new Set(created.map((r) => r.idempotencyKey));
}

/**
 * Claims up to `limit` due rows in one statement. FOR UPDATE SKIP LOCKED plus the status/lease change
 * means two drainers (two workers, a retried activity next to a slow first attempt) never get the same
 * row; a row stays claimed until its lease ends, after which it is considered interrupted.
 */
export function claimDue(
  db: OutboxDb,
  options: { keys: string[] | null; at: Date; leaseUntil: Date; limit: number; resumedNote: string },
): Promise<ClaimedRow[]> {
  const { keys, at, leaseUntil, limit, resumedNote } = options;
  return db.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id, status AS previous FROM "OutboxMessage"
      WHERE status IN ('queued', 'sending') AND "nextAttemptAt" <= ${at}
        AND (${keys}::text[] IS NULL OR "idempotencyKey" = ANY(${keys}::text[]))
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE "OutboxMessage" o
    SET status = 'sending', attempts = o.attempts + 1, "nextAttemptAt" = ${leaseUntil}, "updatedAt" = now(),
        "lastError" = CASE WHEN due.previous = 'sending' THEN ${resumedNote} ELSE o."lastError" END
    FROM due WHERE o.id = due.id
    RETURNING o.id::text, o.channel::text, o."recipientEmail", o."recipientName", o.subject, o."htmlBody",
      o."textBody", o.ics, o."messageId", o."createdAt", o.attempts, due.previous::text AS previous`;
}

export interface SentMark {
  id: string;
  response: string;
  sentAt: Date;
}

/**
 * Records "sent" with group commit: while one UPDATE is in flight, the marks of messages accepted meanwhile
 * gather and go in the next one. A mark waits at most for the write before it plus its own, a few
 * milliseconds; `record` resolves once the caller's mark is in the database.
 */
export function createSentRecorder(db: OutboxDb) {
  let waiting: SentMark[] = [];
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    try {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        await db.$executeRaw`
          UPDATE "OutboxMessage" o
          SET status = 'sent', "sentAt" = t.sent_at, "providerMessageId" = t.response, "updatedAt" = now()
          FROM unnest(${batch.map((m) => m.id)}::uuid[], ${batch.map((m) => m.response)}::text[],
            ${batch.map((m) => m.sentAt.toISOString())}::timestamptz[]) AS t(id, response, sent_at)
          WHERE o.id = t.id AND o.status = 'sending'`;
      }
    } finally {
      flushing = null;
    }
  }

  return {
    record(mark: SentMark): Promise<void> {
      waiting.push(mark);
      flushing ??= flush();
      return flushing;
    },
  };
}
