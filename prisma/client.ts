/**
 * The Prisma client, talking to Postgres through node-postgres (`@prisma/adapter-pg`): no query-engine
 * binary is involved, which is what lets the service run where Prisma's engines cannot be downloaded.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export { PrismaClient };
/** The handle the rest of the app receives. */
export type Database = PrismaClient;
export type * from './generated/client';

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}
