/**
 * Applies the SQL migrations in prisma/migrations/ on start, the way `prisma migrate deploy` would, but
 * without Prisma's schema-engine binary (which cannot be downloaded here).
 *
 * - Prisma's layout and bookkeeping: one folder per migration, applied in name order, recorded in
 *   `_prisma_migrations` with Prisma's columns and checksum (SHA-256 of migration.sql), so the Prisma CLI
 *   sees the same history wherever its engine is available.
 * - All pending migrations run in one transaction: a failing one leaves the database exactly as it was,
 *   with no half-applied migration to repair by hand. (So a migration must not use statements that cannot
 *   run in a transaction, such as CREATE INDEX CONCURRENTLY.)
 * - A transaction-scoped advisory lock on Prisma's own lock key serialises concurrent starters (several
 *   app instances, or this runner and `prisma migrate deploy`).
 * - An applied migration whose file has since changed, or one recorded as failed by Prisma, stops the
 *   start with an explanation instead of guessing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The key `prisma migrate` itself locks on. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (message: string) => void;
  /** Stop after this migration: a restore loads an older backup into the schema it was taken from. */
  upTo?: string;
}

/** Applies every pending migration; returns the names applied (empty when the database is current). */
export async function applyMigrations(
  connectionString: string,
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const upTo = options.upTo;
  const migrations = readMigrations(options.migrationsDir).filter(
    (m) => upTo === undefined || m.name <= upTo,
  );
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const pending = pendingMigrations(migrations, rows);
    for (const migration of pending) {
      log(`Applicazione della migrazione ${migration.name}…`);
      const id = randomUUID();
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
        [id, migration.checksum, migration.name],
      );
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new MigrationError(
          `La migrazione ${migration.name} non è stata applicata, il database non è cambiato: ${(error as Error).message}`,
        );
      }
      await client.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
    }
    await client.query('COMMIT');
    return pending.map((m) => m.name);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

function pendingMigrations(migrations: MigrationFile[], rows: AppliedRow[]): MigrationFile[] {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `La migrazione ${failed.migration_name} risulta fallita in un tentativo precedente: ` +
        'correggere il database e segnarla come annullata (prisma migrate resolve --rolled-back) prima di riavviare.',
    );
  }
  const applied = new Map(
    rows
      .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
      .map((row) => [row.migration_name, row]),
  );
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(
      `Il database contiene migrazioni assenti da prisma/migrations (${unknown.join(', ')}): ` +
        'è stato aggiornato da una versione più recente del servizio.',
    );
  }
  for (const migration of migrations) {
    const row = applied.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new MigrationError(
        `La migrazione ${migration.name} è stata modificata dopo essere stata applicata: ` +
          'le migrazioni applicate non si cambiano, se ne aggiunge una nuova.',
      );
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}
