/** The slice of the Prisma client the answer links use. */
import type { PrismaClient } from '../../prisma/client';

export type AnswersDb = Pick<PrismaClient, 'invitation' | 'auditEvent' | '$transaction' | '$queryRaw'>;
