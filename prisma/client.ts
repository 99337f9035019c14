/**
 * The Prisma client, talking to Postgres through node-postgres (`@prisma/adapter-pg`): no query-engine
 * binary is involved, which is what lets the service run where Prisma's engines cannot be downloaded.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';

export { PrismaClient };
export { Prisma } from './generated/client';
/** The handle the rest of the app receives. */
export type Database = PrismaClient;
export type * from './generated/client';

const pools = new WeakMap<object, pg.Pool>();

export function createPrismaClient(connectionString: string): PrismaClient {
  // The pool is created here rather than by the adapter so that `poolOf` can hand it out; the adapter
  // still ends it on $disconnect.
  const pool = new pg.Pool({ connectionString });
  // An idle connection that fails (a database restart) is dropped by the pool and replaced on next use;
  // the adapter listens for that only once Prisma has connected, and raw statements may come first.
  pool.on('error', () => {});
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/**
 * The node-postgres pool under a client made by `createPrismaClient`, while it is open; undefined for
 * anything else (a transaction's client, an extended client). A statement sent there skips Prisma's work
 * per statement, about half a millisecond of CPU, which only a hot path that counts its statements (the
 * outbox's) needs; it also skips Prisma's mapping of values, so it is for raw SQL only.
 */
export function poolOf(db: object): pg.Pool | undefined {
  const pool = pools.get(db);
  return pool && !pool.ending ? pool : undefined;
}
