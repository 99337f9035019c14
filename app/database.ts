/**
 * The database the service runs on: DATABASE_URL when set, otherwise an embedded PostgreSQL keeping its
 * data under DATA_DIR. Pending migrations are applied before anything else touches it.
 */
import { join } from 'node:path';
import { createPrismaClient, type Database } from '../prisma/client';
import { startEmbeddedPostgres } from '../prisma/embedded';
import { applyMigrations } from '../prisma/migrate';
import type { Config } from './config';

export interface OpenDatabase {
  db: Database;
  url: string;
  /** "embedded" or "external", for the start-up summary. */
  kind: 'embedded' | 'external';
  close(): Promise<void>;
}

export async function openDatabase(config: Config, log: (message: string) => void): Promise<OpenDatabase> {
  let url = config.DATABASE_URL;
  let stopEmbedded = async () => {};
  if (!url) {
    const server = await startEmbeddedPostgres({
      dataDir: join(config.DATA_DIR, 'postgres'),
      port: config.EMBEDDED_POSTGRES_PORT,
      log,
    });
    url = server.url();
    stopEmbedded = () => server.stop();
  }
  try {
    const applied = await applyMigrations(url, { log });
    if (applied.length) log(`Migrazioni applicate: ${applied.join(', ')}`);
  } catch (error) {
    await stopEmbedded();
    throw error;
  }
  const db = createPrismaClient(url);
  return {
    db,
    url,
    kind: config.DATABASE_URL ? 'external' : 'embedded',
    async close() {
      await db.$disconnect();
      await stopEmbedded();
    },
  };
}
