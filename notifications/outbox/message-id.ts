/**
 * The Message-ID is a function of the idempotency key alone. Every attempt to send a given outbox row,
 * including a resend after a crash, therefore carries the same Message-ID, and receivers that suppress
 * duplicate deliveries by Message-ID keep a single copy (see outbox.ts for the full argument).
 */
import { createHash } from 'node:crypto';

export function messageIdFor(key: string, domain: string): string {
  const digest = createHash('sha256').update(key).digest('base64url').slice(0, 32);
  return `<${digest}@${domain}>`;
}

/** "Ufficio di Piano <udp@comune.crema.cr.it>" -> "comune.crema.cr.it". */
export function domainOf(address: string): string {
  const domain = /@([^@\s>]+)>?\s*$/.exec(address)?.[1];
  if (!domain) throw new Error(`Indirizzo mittente non valido / invalid sender address: ${address}`);
  return domain.toLowerCase();
}
