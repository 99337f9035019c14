/** The slice of the Prisma client the outbox uses (narrow, so tests and callers see what it touches). */
import type { OutboxMessage, PrismaClient } from '../../prisma/client';

export type OutboxDb = Pick<PrismaClient, 'outboxMessage'>;
export type OutboxRow = OutboxMessage;
