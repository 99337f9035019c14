import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, MIGRATIONS_DIR, MigrationError, readMigrations } from './migrate';
import { deployWithPrisma } from './schema-engine';
import { createEmptyDatabase } from '../tests/support/database';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tables = async (url: string) =>
  (
    await query<{ t: string }>(
      url,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((r) => r.t);

describe('applyMigrations', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let scratch: string;
  const database = async () => {
    const db = await createEmptyDatabase();
    cleanups.push(db.cleanup);
    return db.url;
  };
  /** A copy of the real migrations plus extra ones, to test failures without touching prisma/migrations. */
  const migrationsWith = (extra: Record<string, string>) => {
    const dir = mkdtempSync(join(scratch, 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    for (const [name, sql] of Object.entries(extra)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'migration.sql'), sql);
    }
    return dir;
  };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'migrate-test-'));
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('applies every migration once and records it the way Prisma does', async () => {
    const url = await database();
    const names = readMigrations().map((m) => m.name);
    expect(await applyMigrations(url)).toEqual(names);
    expect(await applyMigrations(url)).toEqual([]);

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.map((r) => r.checksum)).toEqual(readMigrations().map((m) => m.checksum));
    expect(rows.every((r) => r.finished_at instanceof Date && r.applied_steps_count === 1)).toBe(true);
    expect(await tables(url)).toContain('Meeting');
  });

  it("agrees with Prisma's own migrate deploy in both directions", async () => {
    const migrations = readMigrations();
    const names = migrations.map((m) => m.name);

    const oursFirst = await database();
    await applyMigrations(oursFirst);
    expect(await deployWithPrisma(oursFirst, migrations, MIGRATIONS_DIR)).toEqual([]);

    const prismaFirst = await database();
    expect(await deployWithPrisma(prismaFirst, migrations, MIGRATIONS_DIR)).toEqual(names);
    // Prisma's own bookkeeping carries the checksum our runner computes and compares.
    const recorded = await query<{ checksum: string }>(
      prismaFirst,
      'SELECT checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(recorded.map((r) => r.checksum)).toEqual(migrations.map((m) => m.checksum));
    expect(await applyMigrations(prismaFirst)).toEqual([]);
  });

  it('lets concurrent starters apply each migration exactly once', async () => {
    const url = await database();
    const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
    expect(results.flat()).toEqual(readMigrations().map((m) => m.name));
    const [row] = await query<{ count: string }>(url, 'SELECT count(*) FROM "_prisma_migrations"');
    expect(Number(row?.count)).toBe(readMigrations().length);
  });

  it('leaves the database untouched when a pending migration fails', async () => {
    const url = await database();
    const dir = migrationsWith({
      '29991231000000_broken': 'CREATE TABLE "Extra" (id int);\nSELECT * FROM "NoSuchTable";',
    });
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      /29991231000000_broken.*NoSuchTable/,
    );
    expect(await tables(url)).toEqual([]);
  });

  it('refuses a migration changed after it was applied', async () => {
    const url = await database();
    const dir = migrationsWith({ '29991231000000_extra': 'CREATE TABLE "Extra" (id int);' });
    await applyMigrations(url, { migrationsDir: dir });
    writeFileSync(join(dir, '29991231000000_extra', 'migration.sql'), 'CREATE TABLE "Extra" (id bigint);');
    const attempt = applyMigrations(url, { migrationsDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(/29991231000000_extra.*modificata/);
  });

  it('refuses a database migrated by a newer version', async () => {
    const url = await database();
    await applyMigrations(url, { migrationsDir: migrationsWith({ '29991231000000_future': 'SELECT 1;' }) });
    await expect(applyMigrations(url)).rejects.toThrow(/29991231000000_future/);
  });
});
