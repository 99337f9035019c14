/**
 * The outbox: every e-mail the service sends is first a row in Postgres, then an SMTP transaction.
 *
 * Life of a row: queued -> sending -> sent | failed.
 *  - `enqueue` renders the message once and stores it whole (subject, bodies, invite, Message-ID, and
 *    createdAt, which is the Date header). It is idempotent on `idempotencyKey` (INSERT ... ON CONFLICT DO
 *    NOTHING): a workflow activity retried any number of times leaves one row per recipient and purpose.
 *  - `deliver` claims due rows in one UPDATE over SELECT ... FOR UPDATE SKIP LOCKED, which sets `sending`
 *    and a lease (nextAttemptAt = now + lease, longer than the transport's timeouts allow an SMTP
 *    transaction to last), so two drainers never hold the same row.
 *  - The SMTP reply decides: 2xx -> sent (with the reply); 4xx or no connection -> back to queued with
 *    exponential backoff (and the rest of the round waits too); 5xx (503 excepted), an invalid address, a
 *    missing PEC transport, an oversize attachment, too many temporary failures -> failed with the reason,
 *    never retried, listed by `listFailed` for the coordinator.
 *  - A row still `sending` after its lease belonged to a process that died: it is claimed again.
 *
 * Why a crash does not leave a second copy in the mailbox of a well-behaved server:
 *  1. SMTP hands responsibility to the server only with its final reply to DATA. If the process dies
 *     before that reply was sent, the server has not accepted the message and the resend after the lease
 *     is its first real delivery. Rows claimed but not yet attempted are in the same position.
 *  2. What remains is the window between the server's 250 and the `sent` mark reaching Postgres: one
 *     group-committed UPDATE, a few milliseconds, for at most two messages per pool connection (the one
 *     in flight and the previous one, whose mark is being written). A resend from there is byte-identical: the same
 *     Message-ID (a hash of the key), Date header, bodies and invite UID/SEQUENCE, all frozen at enqueue.
 *     Stores that suppress duplicate deliveries by Message-ID (Gmail, Cyrus IMAP's duplicate suppression,
 *     our own mail catcher) keep one copy, and calendar clients update the same event (same UID and
 *     SEQUENCE) instead of adding one. The crash test in outbox.test.ts kills a sender with SIGKILL mid
 *     fan-out against a relay that stores before replying, the worst case, and checks exactly that.
 *  3. Residual risk, stated plainly: a server that does not deduplicate by Message-ID may show a second
 *     identical copy of a message caught in that window. SMTP has no way to ask a server whether it already
 *     took a Message-ID, so no client can close it; the resend is recorded on the row (attempts > 1 and
 *     lastError "ripresa dopo interruzione") for audit.
 */
import { buildInvite, icsLines } from '../calendar';
import type { Language } from '../format';
import { renderMessage } from '../templates/render';
import { TemplateData, type TemplateKind } from '../templates/data';
import type { Mailer } from '../transport';
import { classifySendError, describeSendError } from '../transport';
import type { ClaimedRow, OutboxDb } from './db';
import { claimDue, createSentRecorder, insertRows, type NewRow } from './sql';
import { listFailed, type FailedFilter } from './failed';
import { domainOf, messageIdFor } from './message-id';
import {
  MAX_ATTACHMENTS_BYTES,
  NotificationRequest,
  isValidAddress,
  type ParsedNotificationRequest,
} from './request';

export interface OutboxOptions {
  db: OutboxDb;
  mailer: Mailer;
  /** MAIL_FROM, e.g. "Ufficio di Piano <ufficio.piano@comune.crema.cr.it>"; also the invite's ORGANIZER. */
  from: string;
  /** Domain of Message-IDs and invite UIDs; defaults to the sender's domain. */
  domain?: string;
  now?: () => Date;
  /** How long a claimed row is left alone before it is considered interrupted. */
  leaseMs?: number;
  /** Messages sent in parallel: the transport's pool size. */
  concurrency?: number;
  retry?: { baseMs: number; maxMs: number; maxAttempts: number };
}

export interface EnqueueResult {
  /** Rows created by this call. */
  created: number;
  /** Keys that already had a row (a retried activity, a repeated fan-out): left untouched. */
  existing: number;
  /** Keys stored directly as failed by this call, with the reason (bad address, attachment, no PEC). */
  refused: { key: string; reason: string }[];
}

/** How many messages `send` stores before it starts delivering them. */
const SEND_CHUNK = 100;

export interface DeliveryResult {
  sent: number;
  failed: number;
  /** Rows waiting for a retry after a temporary failure. */
  retrying: number;
  /** Rows sent again after an interrupted attempt (see the header comment). */
  resumed: number;
  /**
   * Rows (among `keys`, or all) still queued or sending after this round, whether attempted now or not
   * yet due: a caller that must not report success while messages wait checks this, not `retrying`.
   */
  pending: number;
  /** Earliest retry among the pending rows, so a workflow can sleep until then. */
  nextAttemptAt: string | null;
}

function noDelivery(): DeliveryResult {
  return { sent: 0, failed: 0, retrying: 0, resumed: 0, pending: 0, nextAttemptAt: null };
}

const RESUMED =
  'ripresa dopo interruzione: reinviato con lo stesso Message-ID / resumed after an interruption';

interface MeetingData {
  bodyName: string;
  title?: string;
  startsAt: string;
  endsAt: string;
  place?: string;
  onlineUrl?: string;
}

export function createOutbox(options: OutboxOptions) {
  const { db, mailer } = options;
  const now = options.now ?? (() => new Date());
  const domain = options.domain ?? domainOf(options.from);
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const concurrency = options.concurrency ?? 5;
  const retry = options.retry ?? { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 12 };
  const organizer = parseFrom(options.from);

  function refusal(request: ParsedNotificationRequest): string | null {
    if (!isValidAddress(request.to.email))
      return `Indirizzo non valido / invalid address: ${request.to.email}`;
    if (request.channel === 'pec' && !mailer.hasPec()) {
      return 'PEC non configurata (PEC_SMTP_URL) / no PEC transport configured';
    }
    const bytes = request.attachments.reduce(
      (sum, a) => sum + Math.floor((a.contentBase64.length * 3) / 4),
      0,
    );
    if (bytes > MAX_ATTACHMENTS_BYTES) {
      return `Allegato troppo grande: ${(bytes / 1048576).toFixed(1)} MB (massimo ${MAX_ATTACHMENTS_BYTES / 1048576} MB); pubblicare il documento e inviarne il collegamento / attachment too large, send a link`;
    }
    if (bytes > 0) {
      return 'Allegati non ancora supportati dalla coda: inviare il collegamento al documento / attachments not supported yet, send a link';
    }
    return null;
  }

  function validateData(request: ParsedNotificationRequest): void {
    const checked = TemplateData[request.kind as TemplateKind].safeParse(request.data);
    if (!checked.success) {
      throw new Error(
        `Dati del messaggio ${request.key} non validi / invalid message data: ${checked.error.message}`,
      );
    }
    if (request.invite && !request.data.meeting) {
      throw new Error(
        `${request.key}: il tipo ${request.kind} non ha una seduta per l'invito / no meeting to invite to`,
      );
    }
  }

  function toRow(request: ParsedNotificationRequest, at: Date, language: Language) {
    // Data already checked by validateData, so rendering cannot fail on it.
    const rendered = renderMessage(request.kind as TemplateKind, request.data as never, language);
    const reason = refusal(request);
    const meeting = request.data.meeting as MeetingData | undefined;
    const ics =
      request.invite && meeting && !reason
        ? buildInvite({
            method: request.invite.method,
            meetingId: request.invite.meetingId,
            revision: request.invite.revision,
            summary: meeting.title ? `${meeting.bodyName} – ${meeting.title}` : meeting.bodyName,
            startsAt: meeting.startsAt,
            endsAt: meeting.endsAt,
            location: meeting.place ?? meeting.onlineUrl,
            url: meeting.onlineUrl,
            organizer,
            attendee: { name: request.to.name ?? request.to.email, email: request.to.email },
            stampedAt: at.toISOString(),
            uidDomain: domain,
          })
        : null;
    return {
      reason,
      row: {
        idempotencyKey: request.key,
        kind: request.kind,
        channel: request.channel === 'pec' ? ('pec' as const) : ('email' as const),
        status: reason ? ('failed' as const) : ('queued' as const),
        recipientEmail: request.to.email,
        recipientName: request.to.name ?? null,
        personId: request.personId ?? null,
        subject: rendered.subject,
        htmlBody: rendered.html,
        textBody: rendered.text,
        ics,
        messageId: messageIdFor(request.key, domain),
        lastError: reason,
      } satisfies NewRow,
    };
  }

  /**
   * Renders and stores messages; one row per key, whatever the number of calls. `within` stores them in the
   * caller's transaction, so a message and the change that causes it commit together or not at all.
   */
  async function enqueue(input: NotificationRequest[], within: OutboxDb = db): Promise<EnqueueResult> {
    return store(validated(input), within);
  }

  /**
   * Everything is validated before anything is stored: malformed data is a bug, and half a fan-out stored
   * would hide it.
   */
  function validated(input: NotificationRequest[]): ParsedNotificationRequest[] {
    const requests = input.map((raw) => NotificationRequest.parse(raw));
    for (const request of requests) validateData(request);
    return requests;
  }

  async function store(requests: ParsedNotificationRequest[], db: OutboxDb): Promise<EnqueueResult> {
    const at = now();
    // Each message in its recipient's language; an address without a person (a one-meeting delegate named
    // by e-mail) gets Italian.
    const personIds = [...new Set(requests.flatMap((r) => (r.personId ? [r.personId] : [])))];
    const languageOf = new Map(
      (
        await db.person.findMany({ where: { id: { in: personIds } }, select: { id: true, language: true } })
      ).map((p) => [p.id, p.language] as const),
    );
    // Rendered and inserted in chunks, each INSERT running while the next chunk renders. ON CONFLICT DO
    // NOTHING: a key that already has a row (a retried activity, a concurrent enqueue) keeps it untouched.
    const chunks: Promise<{ prepared: ReturnType<typeof toRow>[]; created: Set<string> }>[] = [];
    for (let start = 0; start < requests.length; start += 100) {
      const prepared = requests
        .slice(start, start + 100)
        .map((request) => toRow(request, at, (request.personId && languageOf.get(request.personId)) || 'it'));
      const inserting = insertRows(
        db,
        prepared.map((p) => p.row),
        at,
      ).then((created) => ({ prepared, created }));
      inserting.catch(() => {}); // awaited below; handled now so a failure while rendering is not "unhandled"
      chunks.push(inserting);
      await new Promise((resolve) => setImmediate(resolve)); // let the INSERT go out before rendering on
    }
    const result: EnqueueResult = { created: 0, existing: 0, refused: [] };
    for (const { prepared, created } of await Promise.all(chunks)) {
      result.created += created.size;
      result.existing += prepared.length - created.size;
      for (const p of prepared) {
        if (p.reason && created.has(p.row.idempotencyKey))
          result.refused.push({ key: p.row.idempotencyKey, reason: p.reason });
      }
    }
    return result;
  }

  function backoff(attempts: number): number {
    return Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Sends every due row (optionally only those with the given keys), `concurrency` at a time. */
  async function deliver(filter: { keys?: string[]; limit?: number } = {}): Promise<DeliveryResult> {
    const keys = filter.keys ?? null;
    const limit = filter.limit ?? 10_000;
    const result = noDelivery();
    // Set when the server cannot be reached: the rest of the round waits too, instead of hammering it.
    let unreachableUntil: Date | null = null;
    const sentRecorder = createSentRecorder(db);

    /** Sends one row; on success returns the pending write of its "sent" mark (wrapped: not awaited here). */
    const sendOne = async (row: ClaimedRow): Promise<{ mark: Promise<void> } | null> => {
      if (unreachableUntil) {
        await db.outboxMessage.update({
          where: { id: row.id },
          data: { status: 'queued', attempts: { decrement: 1 }, nextAttemptAt: unreachableUntil },
        });
        result.retrying += 1;
        return null;
      }
      if (row.previous === 'sending') result.resumed += 1;
      try {
        const reply = await mailer.send(row.channel === 'pec' ? 'pec' : 'smtp', {
          from: options.from,
          to: { name: row.recipientName, address: row.recipientEmail },
          subject: row.subject,
          html: row.htmlBody,
          text: row.textBody,
          messageId: row.messageId,
          date: row.createdAt,
          calendar: row.ics ? { method: calendarMethod(row.ics), content: row.ics } : null,
        });
        // Only this write separates "accepted by the server" from "recorded as sent" (see the header
        // comment). It is group-committed with the other senders' marks; the caller lets the connection
        // send one more message while it is written, never two.
        const mark = sentRecorder.record({ id: row.id, response: reply.response, sentAt: now() }).then(() => {
          result.sent += 1;
        });
        return { mark };
      } catch (error) {
        const reason = describeSendError(error);
        if (classifySendError(error) === 'permanent' || row.attempts >= retry.maxAttempts) {
          await db.outboxMessage.update({
            where: { id: row.id },
            data: { status: 'failed', lastError: reason },
          });
          result.failed += 1;
          return null;
        }
        const retryAt = new Date(now().getTime() + backoff(row.attempts));
        if ((error as { responseCode?: number }).responseCode === undefined) unreachableUntil = retryAt;
        await db.outboxMessage.update({
          where: { id: row.id },
          data: { status: 'queued', lastError: reason, nextAttemptAt: retryAt },
        });
        result.retrying += 1;
        return null;
      }
    };

    // Claim in slices, the next one while the current one is sent, so the SMTP pool never waits for the
    // database: a small first slice to start sending at once, then larger ones. Slices also bound the rows
    // left waiting for their lease after a crash.
    const claimSlice = (size: number) => {
      const at = now();
      // `now` may lie in the past (an activity's clock is the moment its attempt was scheduled, which can be
      // long before a worker picked it up): a lease counted from there could already be over, and another
      // drainer would take the rows while this one sends them. A lease runs from the later of the two clocks.
      const leaseFrom = Math.max(at.getTime(), Date.now());
      return {
        size,
        rows: claimDue(db, {
          keys,
          at,
          leaseUntil: new Date(leaseFrom + leaseMs),
          limit: size,
          resumedNote: RESUMED,
        }),
      };
    };
    let total = 0;
    let claiming: ReturnType<typeof claimSlice> | null = claimSlice(Math.min(limit, concurrency * 4));
    while (claiming) {
      const rows: ClaimedRow[] = await claiming.rows;
      total += rows.length;
      const more: boolean = rows.length === claiming.size && total < limit;
      claiming = more ? claimSlice(Math.min(500, limit - total)) : null;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
          // At most two unconfirmed messages per connection: the one in flight and the previous one,
          // whose "sent" mark is being written. That bounds what a crash can leave in doubt.
          let previousMark: Promise<void> | null = null;
          while (next < rows.length) {
            const sent = await sendOne(rows[next++]!);
            await previousMark;
            previousMark = sent?.mark ?? null;
          }
          await previousMark;
        }),
      );
      // Server unreachable: the slice already claimed is released by sendOne; claim no more.
      if (unreachableUntil && claiming) {
        const prefetched: ClaimedRow[] = await claiming.rows;
        await Promise.all(prefetched.map(sendOne));
        claiming = null;
      }
    }
    Object.assign(result, await pendingAmong(keys));
    return result;
  }

  /**
   * Enqueues and delivers a fan-out. Each chunk is delivered as soon as it is stored, so the SMTP pool is
   * busy while later chunks render; every request is validated before the first one is stored. Safe to
   * repeat as a whole.
   */
  async function send(input: NotificationRequest[]) {
    const requests = validated(input);
    const enqueued: EnqueueResult = { created: 0, existing: 0, refused: [] };
    const deliveries: Promise<DeliveryResult>[] = [];
    for (let start = 0; start < requests.length; start += SEND_CHUNK) {
      const chunk = requests.slice(start, start + SEND_CHUNK);
      const stored = await store(chunk, db);
      enqueued.created += stored.created;
      enqueued.existing += stored.existing;
      enqueued.refused.push(...stored.refused);
      const delivering = deliver({ keys: chunk.map((r) => r.key) });
      delivering.catch(() => {}); // awaited below; handled now so a later enqueue failure is not "unhandled"
      deliveries.push(delivering);
    }
    const delivery = noDelivery();
    for (const part of await Promise.all(deliveries)) {
      delivery.sent += part.sent;
      delivery.failed += part.failed;
      delivery.retrying += part.retrying;
      delivery.resumed += part.resumed;
      delivery.pending += part.pending;
      if (part.nextAttemptAt && (!delivery.nextAttemptAt || part.nextAttemptAt < delivery.nextAttemptAt))
        delivery.nextAttemptAt = part.nextAttemptAt;
    }
    return { enqueued, delivery };
  }

  async function pendingAmong(
    keys: string[] | null,
  ): Promise<Pick<DeliveryResult, 'pending' | 'nextAttemptAt'>> {
    const pending = await db.outboxMessage.aggregate({
      where: { ...(keys ? { idempotencyKey: { in: keys } } : {}), status: { in: ['queued', 'sending'] } },
      _count: true,
      _min: { nextAttemptAt: true },
    });
    return { pending: pending._count, nextAttemptAt: pending._min.nextAttemptAt?.toISOString() ?? null };
  }

  return { enqueue, deliver, send, listFailed: (filter: FailedFilter = {}) => listFailed(db, filter) };
}

export type Outbox = ReturnType<typeof createOutbox>;

function calendarMethod(ics: string): 'REQUEST' | 'CANCEL' {
  return icsLines(ics).includes('METHOD:CANCEL') ? 'CANCEL' : 'REQUEST';
}

function parseFrom(from: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (match) return { name: match[1] || match[2]!, email: match[2]! };
  return { name: from.trim(), email: from.trim() };
}
