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
 *  - `send` (enqueue and deliver a fan-out) stores the rows it creates already in that claimed state, in the
 *    INSERT itself: a row that did not exist cannot be held by anyone else, and a concurrent INSERT of the
 *    same key finds it and leaves it alone. It sends them from the copy it has just written, so the
 *    message is the row byte for byte, with no claim statement and no reading back. Keys that had a row
 *    already are claimed as `deliver` does.
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
import { renderParsed } from '../templates/render';
import { TemplateData, type TemplateKind, type TemplateOutput } from '../templates/data';
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
  /**
   * `now` is a virtual clock (a time-skipping Temporal server's, in tests and the year preview), unrelated
   * to the real one: leases are taken and judged on it alone (see `leaseClock`).
   */
  virtualTime?: boolean;
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

/** How many messages are rendered and stored per INSERT. */
const STORE_CHUNK = 100;

/** Messages rendered between two turns of the event loop. */
const RENDER_SLICE = 10;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A request as parsed, with its template data as parsed by the template's schema. */
interface Validated {
  request: ParsedNotificationRequest;
  data: TemplateOutput<TemplateKind>;
}

/** A rendered row, and why it is stored as failed (a refusal), if it is. */
interface Prepared {
  reason: string | null;
  row: NewRow;
}

/** One delivery round: its counts, and when the server, found unreachable, should be tried again. */
interface Round {
  result: DeliveryResult;
  unreachableUntil: Date | null;
}

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

function newRound(): Round {
  return {
    result: { sent: 0, failed: 0, retrying: 0, resumed: 0, pending: 0, nextAttemptAt: null },
    unreachableUntil: null,
  };
}

/** Adds a stored chunk to an enqueue result. */
function tally(result: EnqueueResult, chunk: Prepared[], created: Map<string, string>): void {
  for (const { row, reason } of chunk) {
    if (!created.has(row.idempotencyKey)) result.existing += 1;
    else {
      result.created += 1;
      if (reason) result.refused.push({ key: row.idempotencyKey, reason });
    }
  }
}

/** A row just stored as `sending` by this process, as `claimDue` would have returned it. */
function claimedFromMemory(id: string, row: NewRow, at: Date): ClaimedRow {
  return {
    id,
    channel: row.channel,
    recipientEmail: row.recipientEmail,
    recipientName: row.recipientName,
    subject: row.subject,
    htmlBody: row.htmlBody,
    textBody: row.textBody,
    ics: row.ics,
    messageId: row.messageId,
    createdAt: at,
    attempts: 1,
    previous: 'queued',
  };
}

/**
 * Items passed from a producer to consumers as they come: `take` waits for the next, null once closed. A
 * taken item leaves the queue, so a message's strings can be collected once it is sent, not at the end of
 * the fan-out (kept to the end, they outlive young-generation collections and cost the collector more).
 */
function createHandover<T>() {
  const items: T[] = [];
  let closed = false;
  let wake = () => {};
  let arrived = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    const woken = wake;
    arrived = new Promise<void>((resolve) => (wake = resolve));
    woken();
  };
  return {
    push(item: T) {
      items.push(item);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async take(): Promise<T | null> {
      while (items.length === 0 && !closed) await arrived;
      return items.shift() ?? null;
    },
  };
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
  // One per outbox, shared by concurrent rounds: their marks go out together.
  const sentRecorder = createSentRecorder(db);

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

  /** The template data parsed by its schema (what is rendered), or an error naming the message. */
  function validateData(request: ParsedNotificationRequest): TemplateOutput<TemplateKind> {
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
    return checked.data;
  }

  function toRow(
    { request, data }: Validated,
    at: Date,
    language: Language,
    status: 'queued' | 'sending',
  ): Prepared {
    const rendered = renderParsed(request.kind as TemplateKind, data, language);
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
        channel: request.channel === 'pec' ? 'pec' : 'email',
        status: reason ? 'failed' : status,
        recipientEmail: request.to.email,
        recipientName: request.to.name ?? null,
        personId: request.personId ?? null,
        subject: rendered.subject,
        htmlBody: rendered.html,
        textBody: rendered.text,
        ics,
        messageId: messageIdFor(request.key, domain),
        lastError: reason,
      },
    };
  }

  /**
   * Renders and stores messages; one row per key, whatever the number of calls. `within` stores them in the
   * caller's transaction, so a message and the change that causes it commit together or not at all.
   */
  async function enqueue(input: NotificationRequest[], within: OutboxDb = db): Promise<EnqueueResult> {
    const result: EnqueueResult = { created: 0, existing: 0, refused: [] };
    await store(
      validated(input),
      within,
      STORE_CHUNK,
      (at) => ({ status: 'queued', until: at }),
      (chunk, created) => tally(result, chunk, created),
    );
    return result;
  }

  /**
   * Everything is validated before anything is stored: malformed data is a bug, and half a fan-out stored
   * would hide it.
   */
  function validated(input: NotificationRequest[]): Validated[] {
    const requests = input.map((raw) => NotificationRequest.parse(raw));
    return requests.map((request) => ({ request, data: validateData(request) }));
  }

  /**
   * Renders and inserts `requests` in chunks (the first one `firstChunk` long), each INSERT running while the
   * next chunk renders, and hands each chunk to `landed` once its INSERT returned, in order. `storeAs` says,
   * for each chunk, whether its rows are stored queued or already claimed, and until when.
   * ON CONFLICT DO NOTHING: a key that already has a row (a retried activity, a concurrent enqueue) keeps it
   * untouched, and is not in `created`.
   */
  async function store(
    requests: Validated[],
    db: OutboxDb,
    firstChunk: number,
    storeAs: (at: Date) => { status: 'queued' | 'sending'; until: Date },
    landed: (chunk: Prepared[], created: Map<string, string>, at: Date) => void,
  ): Promise<void> {
    const languageOf = await languages(requests, db);
    const landings: Promise<void>[] = [];
    let failure: { error: unknown } | null = null;
    try {
      for (let start = 0, size = firstChunk; start < requests.length; start += size, size = STORE_CHUNK) {
        const at = now();
        const { status, until } = storeAs(at);
        const chunk: Prepared[] = [];
        for (const r of requests.slice(start, start + size)) {
          const language = (r.request.personId && languageOf.get(r.request.personId)) || 'it';
          chunk.push(toRow(r, at, language, status));
          // Rendering a chunk takes a while: messages already stored keep going out meanwhile.
          if (chunk.length % RENDER_SLICE === 0) await nextTurn();
        }
        const inserting = insertRows(
          db,
          chunk.map((p) => p.row),
          { at, until },
        );
        const previous = landings.at(-1)?.catch(() => {});
        const landing = inserting.then(async (created) => {
          await previous;
          landed(chunk, created, at);
        });
        landing.catch(() => {}); // awaited below; handled now so a failure while rendering is not "unhandled"
        landings.push(landing);
        await nextTurn(); // let the INSERT go out before rendering on
      }
    } catch (error) {
      failure = { error };
    }
    // Every chunk inserted is handed over, even when another failed: its rows may already be claimed.
    const settled = await Promise.allSettled(landings);
    if (failure) throw failure.error;
    const rejected = settled.find((o) => o.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /**
   * Each message in its recipient's language; an address without a person (a one-meeting delegate named by
   * e-mail) gets Italian.
   */
  async function languages(requests: Validated[], db: OutboxDb): Promise<Map<string, Language>> {
    const personIds = [...new Set(requests.flatMap((r) => (r.request.personId ? [r.request.personId] : [])))];
    if (personIds.length === 0) return new Map();
    const people = await db.person.findMany({
      where: { id: { in: personIds } },
      select: { id: true, language: true },
    });
    return new Map(people.map((p) => [p.id, p.language] as const));
  }

  function backoff(attempts: number): number {
    return Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempts - 1));
  }

  /**
   * The clock leases are taken and judged on, read at `at`. `now` may lie in the past (an activity's clock
   * is the moment its attempt was scheduled, which can be long before a worker picked it up): a lease
   * counted from there could already be over, and another drainer would take the rows while this one sends
   * them. A lease runs from the later of the two clocks, and is over once the later of the two has passed
   * its end: judged on the caller's clock alone, a lease taken on the real clock by a caller whose clock
   * runs behind it would hold its rows for as long as that gap.
   * A virtual clock is not a late reading of the real one: under time skipping the real clock says nothing
   * about how long a lease has lasted (virtual time may lie months behind the real date, or ahead of it,
   * and jumps once nothing runs), so its leases are taken and judged on it alone. Drainers on the real
   * clock (the outbox pump) still leave such a row alone for a real lease after its claim (`claimDue`).
   */
  function leaseClock(at: Date): Date {
    return options.virtualTime ? at : new Date(Math.max(at.getTime(), Date.now()));
  }

  /** The end of a lease taken at `at`. */
  function leaseUntil(at: Date): Date {
    return new Date(leaseClock(at).getTime() + leaseMs);
  }

  /** Sends one claimed row; on success returns the pending write of its "sent" mark (wrapped: not awaited here). */
  async function sendOne(round: Round, row: ClaimedRow): Promise<{ mark: Promise<void> } | null> {
    const { result } = round;
    if (round.unreachableUntil) {
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: 'queued', attempts: { decrement: 1 }, nextAttemptAt: round.unreachableUntil },
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
      if ((error as { responseCode?: number }).responseCode === undefined) round.unreachableUntil = retryAt;
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: 'queued', lastError: reason, nextAttemptAt: retryAt },
      });
      result.retrying += 1;
      return null;
    }
  }

  /**
   * Sends the rows `take` gives until it gives none, on at most `concurrency` workers (one per pool
   * connection). At most two unconfirmed messages per worker: the one in flight and the previous one, whose
   * "sent" mark is being written. That bounds what a crash can leave in doubt.
   */
  async function drain(round: Round, take: () => Promise<ClaimedRow | null>, rows = concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, rows) }, async () => {
        let previousMark: Promise<void> | null = null;
        for (let row = await take(); row; row = await take()) {
          const sent = await sendOne(round, row);
          await previousMark;
          previousMark = sent?.mark ?? null;
        }
        await previousMark;
      }),
    );
  }

  /** Claims due rows (among `keys`, or all) and sends them, up to `limit`. */
  async function claimAndSend(round: Round, keys: string[] | null, limit: number): Promise<void> {
    // Claim in slices, the next one while the current one is sent, so the SMTP pool never waits for the
    // database: a small first slice to start sending at once, then larger ones. Slices also bound the rows
    // left waiting for their lease after a crash.
    const claimSlice = (size: number) => {
      const at = now();
      return {
        size,
        rows: claimDue(db, {
          keys,
          at,
          leaseClock: leaseClock(at),
          claimedBefore: options.virtualTime ? null : new Date(leaseClock(at).getTime() - leaseMs),
          leaseUntil: leaseUntil(at),
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
      await drain(round, async () => rows[next++] ?? null, rows.length);
      // Server unreachable: the slice already claimed is released by sendOne; claim no more.
      if (round.unreachableUntil && claiming) {
        const prefetched: ClaimedRow[] = await claiming.rows;
        await Promise.all(prefetched.map((row) => sendOne(round, row)));
        claiming = null;
      }
    }
  }

  /** Sends every due row (optionally only those with the given keys), `concurrency` at a time. */
  async function deliver(filter: { keys?: string[]; limit?: number } = {}): Promise<DeliveryResult> {
    const keys = filter.keys ?? null;
    const round = newRound();
    await claimAndSend(round, keys, filter.limit ?? 10_000);
    Object.assign(round.result, await pendingAmong(keys));
    return round.result;
  }

  /**
   * Enqueues and delivers a fan-out; safe to repeat as a whole. Every request is validated before the first
   * one is stored. Rows this call creates are stored already claimed (status `sending`, under a lease, as
   * `deliver` would claim them) and sent from memory as each chunk lands, while later chunks render: no
   * claim statement and no reading back what was just written. Keys that had a row already (an earlier
   * enqueue, a repeated call) are claimed like `deliver` does, so one still waiting is sent and one sent or
   * held by another process is not.
   */
  async function send(input: NotificationRequest[]) {
    const requests = validated(input);
    const round = newRound();
    const enqueued: EnqueueResult = { created: 0, existing: 0, refused: [] };
    const existing: string[] = [];
    const handover = createHandover<ClaimedRow>();
    const sending = drain(round, handover.take);
    sending.catch(() => {}); // awaited below; handled now so a failure while storing is not "unhandled"
    try {
      // After the server proved unreachable, the rest of the fan-out is stored waiting, as `deliver` would
      // release it.
      const storeAs = (at: Date) =>
        round.unreachableUntil
          ? { status: 'queued' as const, until: round.unreachableUntil }
          : { status: 'sending' as const, until: leaseUntil(at) };
      await store(requests, db, concurrency * 2, storeAs, (chunk, created, at) => {
        tally(enqueued, chunk, created);
        for (const { row } of chunk) {
          const id = created.get(row.idempotencyKey);
          if (!id) existing.push(row.idempotencyKey);
          else if (row.status === 'queued') round.result.retrying += 1;
          else if (row.status === 'sending') handover.push(claimedFromMemory(id, row, at));
        }
      });
    } finally {
      handover.close();
      await sending;
    }
    if (existing.length > 0) await claimAndSend(round, existing, existing.length);
    Object.assign(round.result, await pendingAmong(requests.map((r) => r.request.key)));
    return { enqueued, delivery: round.result };
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
