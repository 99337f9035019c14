/**
 * The migrations in prisma/migrations/ must build exactly the database that schema.prisma declares.
 * Prisma's own schema engine (wasm) renders schema.prisma as SQL into one database; the migration runner
 * builds another; their catalogs (tables, columns, types, nullability, defaults, enums, primary keys,
 * uniques, indexes, foreign keys) must be identical.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate';
import { declaredSchema, diffScript } from './schema-engine';
import { readCatalog, type Catalog } from '../tests/support/catalog';
import { createEmptyDatabase } from '../tests/support/database';

async function execute(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('schema.prisma and the migrations', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let migrated: Catalog;
  let declared: Catalog;
  let declaredUrl: string;

  beforeAll(async () => {
    const fromMigrations = await createEmptyDatabase();
    const fromSchema = await createEmptyDatabase();
    cleanups.push(fromMigrations.cleanup, fromSchema.cleanup);
    await applyMigrations(fromMigrations.url);
    await execute(fromSchema.url, await diffScript(fromSchema.url, { tag: 'empty' }, declaredSchema()));
    declaredUrl = fromSchema.url;
    [migrated, declared] = await Promise.all([readCatalog(fromMigrations.url), readCatalog(fromSchema.url)]);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('declares the whole domain', () => {
    const tables = new Set(declared.columns.map((line) => line.split('.')[0]));
    for (const table of [
      'Ambito',
      'Comune',
      'SubAmbitoMembership',
      'Body',
      'Seat',
      'Membership',
      'Meeting',
      'Invitation',
      'Verbale',
      'Deliverable',
      'DeliverableEvent',
      'OutboxMessage',
      'AuditEvent',
      'Objective',
      'IndicatorTarget',
    ]) {
      expect(tables).toContain(table);
    }
    expect(declared.constraints.some((line) => line.includes('FOREIGN KEY'))).toBe(true);
    expect(declared.indexes).toContain(
      'CREATE UNIQUE INDEX "Meeting_bodyId_plannedDateKey_key" ON public."Meeting" USING btree ("bodyId", "plannedDateKey")',
    );
  });

  it('builds the same columns, types, nullability and defaults', () => {
    expect(migrated.columns).toEqual(declared.columns);
    expect(migrated.enums).toEqual(declared.enums);
  });

  it('builds the same keys, uniques, indexes and foreign keys', () => {
    expect(migrated.indexes).toEqual(declared.indexes);
    expect(migrated.constraints).toEqual(declared.constraints);
  });

  it('notices a difference (the comparison is not vacuous)', async () => {
    await execute(
      declaredUrl,
      'ALTER TABLE "Person" ALTER COLUMN "pecEmail" SET NOT NULL; DROP INDEX "Invitation_tokenHash_key"',
    );
    const altered = await readCatalog(declaredUrl);
    expect(altered.columns).not.toEqual(migrated.columns);
    expect(altered.indexes).not.toEqual(migrated.indexes);
  });
});
