/**
 * The three statements on the hot path of a fan-out, in SQL because each handles a whole batch in one
 * round trip (Prisma's createMany binds one parameter per cell and updates one row per call; on 500
 * messages that cost more than the SMTP work itself). Everything else uses the Prisma client. A statement
 * through Prisma costs the sending process about half a millisecond of CPU before node-postgres sees it,
 * so the hot path counts them (per 500-message `send`: six INSERTs, about a hundred "sent" UPDATEs, one
 * count) and sends these three straight to the client's node-postgres pool when it has one (`run`).
 */
import { Prisma, poolOf } from '../../prisma/client';
import type { ClaimedRow, OutboxDb } from './db';

/**
 * Runs a statement on the pool under `db` when there is one, else through Prisma (a transaction's client:
 * the statement must run on that transaction's connection). Both return the same rows: the statements
 * cast what they return to text, integers and timestamps, which node-postgres and Prisma read alike.
 */
async function run<T>(db: OutboxDb, statement: Prisma.Sql): Promise<T[]> {
  const pool = poolOf(db);
  if (!pool) return db.$queryRaw<T[]>(statement);
  return (await pool.query(statement.text, statement.values)).rows as T[];
}

export interface NewRow {
  idempotencyKey: string;
  kind: string;
  channel: 'email' | 'pec';
  /** `sending`: stored already claimed by the caller, who sends it at once (see `insertRows`). */
  status: 'queued' | 'sending' | 'failed';
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

/**
 * INSERT ... ON CONFLICT DO NOTHING: returns the ids of the rows created, by key (existing keys are left
 * untouched). `at` is their creation time (the Date header); `until` is when a queued row falls due, or when
 * the lease of a row stored as `sending` ends: such a row counts its first attempt, exactly as if it had been
 * stored queued and claimed by `claimDue` in the same instant, but without a second statement; like a claim,
 * its "updatedAt" is the database's clock (see `claimDue`).
 */
export async function insertRows(
  db: OutboxDb,
  rows: NewRow[],
  times: { at: Date; until: Date },
): Promise<Map<string, string>> {
  const { at, until } = times;
  const column = <K extends keyof NewRow>(key: K) => rows.map((r) => r[key]);
  const created = await run<{ id: string; idempotencyKey: string }>(
    db,
    Prisma.sql`
    INSERT INTO "OutboxMessage" ("idempotencyKey", kind, channel, status, "recipientEmail", "recipientName",
      "personId", subject, "htmlBody", "textBody", ics, "messageId", "lastError", attempts, "nextAttemptAt",
      "createdAt", "updatedAt")
    SELECT k, kind, ch::"MessageChannel", st::"OutboxStatus", email, name, pid::uuid, subj, html, txt, ics, mid, err,
      (st = 'sending')::int, CASE WHEN st = 'failed' THEN ${at}::timestamptz ELSE ${until}::timestamptz END,
      ${at}, CASE WHEN st = 'sending' THEN now() ELSE ${at}::timestamptz END
    FROM unnest(${column('idempotencyKey')}::text[], ${column('kind')}::text[], ${column('channel')}::text[],
      ${column('status')}::text[], ${column('recipientEmail')}::text[], ${column('recipientName')}::text[],
      ${column('personId')}::text[], ${column('subject')}::text[], ${column('htmlBody')}::text[],
      ${column('textBody')}::text[], ${column('ics')}::text[], ${column('messageId')}::text[], ${column('lastError')}::text[])
      AS t(k, kind, ch, st, email, name, pid, subj, html, txt, ics, mid, err)
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING id::text, "idempotencyKey"`,
  );
  return new Map(created.map((r) => [r.idempotencyKey, r.id]));
}

/**
 * Claims up to `limit` due rows in one statement. FOR UPDATE SKIP LOCKED plus the status/lease change
 * means two drainers (two workers, a retried activity next to a slow first attempt) never get the same
 * row; a row stays claimed until its lease ends, after which it is considered interrupted.
 * A queued row is due by the caller's clock (`at`, the clock its retry was scheduled on); a lease is over by
 * `leaseClock`, the clock leases are taken on (see `leaseClock` in outbox.ts). `claimedBefore` (a drainer
 * on the real clock: the later clock less a lease) also leaves alone a row claimed, by the database's
 * clock ("updatedAt" of a `sending` row), less than a lease ago: its lease may have been taken on a
 * virtual clock, which says nothing about real time. For a lease taken on the real clock it changes
 * nothing, that lease ending a lease after its claim or later.
 */
export function claimDue(
  db: OutboxDb,
  options: {
    keys: string[] | null;
    at: Date;
    leaseClock: Date;
    claimedBefore: Date | null;
    leaseUntil: Date;
    limit: number;
    resumedNote: string;
  },
): Promise<ClaimedRow[]> {
  const { keys, at, leaseClock, claimedBefore, leaseUntil, limit, resumedNote } = options;
  return run<ClaimedRow>(
    db,
    Prisma.sql`
    WITH due AS (
      SELECT id, status AS previous FROM "OutboxMessage"
      WHERE ((status = 'queued' AND "nextAttemptAt" <= ${at})
          OR (status = 'sending' AND "nextAttemptAt" <= ${leaseClock}
            AND (${claimedBefore}::timestamptz IS NULL OR "updatedAt" <= ${claimedBefore}::timestamptz)))
        AND (${keys}::text[] IS NULL OR "idempotencyKey" = ANY(${keys}::text[]))
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE "OutboxMessage" o
    SET status = 'sending', attempts = o.attempts + 1, "nextAttemptAt" = ${leaseUntil}, "updatedAt" = now(),
        "lastError" = CASE WHEN due.previous = 'sending' THEN ${resumedNote} ELSE o."lastError" END
    FROM due WHERE o.id = due.id
    RETURNING o.id::text, o.channel::text, o."recipientEmail", o."recipientName", o.subject, o."htmlBody",
      o."textBody", o.ics, o."messageId", o."createdAt", o.attempts, due.previous::text AS previous`,
  );
}

export interface SentMark {
  id: string;
  response: string;
  sentAt: Date;
}

/**
 * Records "sent" with group commit: one UPDATE in flight at a time, and the marks of messages accepted
 * meanwhile, or in the same turn of the event loop, gather for the next one. A mark waits at most for the
 * write before it plus its own, a few milliseconds; `record` resolves once the caller's mark is in the
 * database (its own batch, not whatever keeps arriving after it). Gathering the replies of one turn made
 * the UPDATEs of a fan-out about half as many (one per five messages with five connections).
 */
export function createSentRecorder(db: OutboxDb) {
  let gathering: SentMark[] = [];
  let next: Promise<void> | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();

  const write = (batch: SentMark[]) =>
    run(
      db,
      Prisma.sql`
    UPDATE "OutboxMessage" o
    SET status = 'sent', "sentAt" = t.sent_at, "providerMessageId" = t.response, "updatedAt" = now()
    FROM unnest(${batch.map((m) => m.id)}::uuid[], ${batch.map((m) => m.response)}::text[],
      ${batch.map((m) => m.sentAt.toISOString())}::timestamptz[]) AS t(id, response, sent_at)
    WHERE o.id = t.id AND o.status = 'sending'`,
    );

  return {
    record(mark: SentMark): Promise<void> {
      gathering.push(mark);
      next ??= inFlight.then(async () => {
        await new Promise((resolve) => setImmediate(resolve)); // the other replies read in this turn
        const batch = gathering;
        gathering = [];
        next = null;
        await write(batch);
      });
      inFlight = next.catch(() => {});
      return next;
    },
  };
}
