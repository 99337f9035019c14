/** The slice of the Prisma client the outbox uses (narrow, so tests and callers see what it touches). */
import type { PrismaClient } from '../../prisma/client';

export type OutboxDb = Pick<PrismaClient, 'outboxMessage' | 'person' | '$queryRaw' | '$executeRaw'>;

/** A row as the claim query returns it: what sending needs, plus the status it had before the claim. */
export interface ClaimedRow {
  id: string;
  channel: 'email' | 'pec';
  recipientEmail: string;
  recipientName: string | null;
  subject: string;
  htmlBody: string;
  textBody: string;
  ics: string | null;
  messageId: string;
  createdAt: Date;
  /** Attempts including this one. */
  attempts: number;
  previous: 'queued' | 'sending';
}
