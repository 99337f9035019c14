/**
 * Messages that will not go out unless someone acts: refused before sending (invalid address, no PEC
 * transport), refused by the server (5xx), or given up after too many temporary failures (a relay down for
 * hours). The coordinator sees them and can put a message back in the queue once the cause is gone.
 */
import type { Prisma } from '../../prisma/client';
import type { OutboxDb } from './db';
import { isValidAddress } from './request';

export interface FailedFilter {
  /** e.g. "convocation:<meeting>:" */
  keyPrefix?: string;
  /** Only messages to these people (one ambito's: the coordinator never sees another district's mail). */
  recipients?: Prisma.PersonWhereInput;
}

function failedWhere(filter: FailedFilter): Prisma.OutboxMessageWhereInput {
  return {
    status: 'failed',
    ...(filter.keyPrefix ? { idempotencyKey: { startsWith: filter.keyPrefix } } : {}),
    ...(filter.recipients ? { person: filter.recipients } : {}),
  };
}

/** How many listFailed would list. */
export function countFailed(db: Pick<OutboxDb, 'outboxMessage'>, filter: FailedFilter = {}) {
  return db.outboxMessage.count({ where: failedWhere(filter) });
}

export function listFailed(db: Pick<OutboxDb, 'outboxMessage'>, filter: FailedFilter = {}) {
  return db.outboxMessage.findMany({
    where: failedWhere(filter),
    orderBy: { updatedAt: 'desc' },
    select: {
      id: true,
      idempotencyKey: true,
      kind: true,
      channel: true,
      recipientEmail: true,
      recipientName: true,
      personId: true,
      subject: true,
      lastError: true,
      attempts: true,
      updatedAt: true,
    },
  });
}

export type RequeueOutcome =
  /** `changed`: this call moved the row (of two at once, one did; the other only agrees). */
  | { outcome: 'requeued'; changed: boolean }
  | { outcome: 'unknown' }
  /** Sending it again as it is cannot work; `reason` says what to do instead (Italian, for the page). */
  | { outcome: 'refused'; reason: string };

/**
 * Puts one failed message back in the queue exactly as it was rendered (same Message-ID, date and invite),
 * for the outbox pump to send within its next round. Its attempt count starts again, so a message given up
 * after a long outage gets the full set of retries.
 */
export async function requeueFailed(
  db: Pick<OutboxDb, 'outboxMessage'>,
  id: string,
  options: { pecAvailable: boolean; at: Date; by: string },
): Promise<RequeueOutcome> {
  const row = await db.outboxMessage.findUnique({ where: { id } });
  if (!row) return { outcome: 'unknown' };
  if (row.status !== 'failed')
    return { outcome: 'refused', reason: `Il messaggio non è in errore (stato: ${row.status}).` };
  if (!isValidAddress(row.recipientEmail))
    return {
      outcome: 'refused',
      reason:
        `L'indirizzo ${row.recipientEmail} non è valido: correggere l'e-mail della persona; ` +
        'i messaggi successivi useranno quello corretto.',
    };
  if (row.channel === 'pec' && !options.pecAvailable)
    return { outcome: 'refused', reason: 'PEC non configurata: impostare PEC_SMTP_URL, poi riprovare.' };
  if (row.attempts === 0 && row.channel !== 'pec')
    // Refused before any attempt for its content (an attachment the queue cannot carry): unchanged, it
    // would leave without it.
    return {
      outcome: 'refused',
      reason: `Il messaggio è stato rifiutato prima dell'invio: ${row.lastError}`,
    };
  // Conditional on the status: of two concurrent requests one changes the row, and both mean the same.
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: 'failed' },
    data: {
      status: 'queued',
      attempts: 0,
      nextAttemptAt: options.at,
      lastError: `rimesso in coda da ${options.by}; errore precedente: ${row.lastError ?? '—'}`,
    },
  });
  return { outcome: 'requeued', changed: count === 1 };
}
