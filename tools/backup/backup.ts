/**
 * Backup and restore of the service's database as one gzipped file of JSON lines.
 *
 * Why not pg_dump: the embedded Postgres (18) ships only initdb, pg_ctl and postgres, and a pg_dump older than
 * the server refuses to dump it. So the dump is logical and made here, with the same guarantees:
 *
 * - consistent: every table is read inside one REPEATABLE READ, READ ONLY transaction (one snapshot), so a
 *   backup taken while the service runs never holds a message without its meeting or half an upload;
 * - faithful: rows travel as `row_to_json` and come back through `json_populate_recordset`, so Postgres
 *   itself converts every type (timestamps with time zone, bytea verbali, enums, arrays, jsonb);
 * - tied to the schema: the header names the migrations applied; a restore builds exactly that schema, loads
 *   the rows, then applies any newer migration, so last year's backup restores into this year's code;
 * - atomic: the file is written beside its final name and renamed when complete; the restore is one
 *   transaction, so a failure leaves the target empty.
 *
 * Line 1 is the header; then one `{"table": name, "row": {...}}` per row, tables in foreign-key order.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../../prisma/migrate';

export const BACKUP_FORMAT = 'governance-backup/1';
/**
 * Tables the migrations themselves fill, not data: the migrations' record, and the cache stamps (Stamp in
 * schema.prisma), which the restored rows renew as they are written.
 */
const MIGRATIONS_TABLE = '_prisma_migrations';
const NOT_DATA = [MIGRATIONS_TABLE, 'Stamp'];
/** Rows per INSERT on restore: big enough to be quick, small enough for verbali of 10 MB each. */
const BATCH_ROWS = 100;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  /** Tables in the order they are written (parents before children). */
  tables: string[];
  /** Tables with a foreign key to themselves (a plan and its parent): restored in one statement each. */
  selfReferencing: string[];
  /** The answer-link secret of an embedded install, so links in e-mails already sent keep working. */
  answerLinkSecret: string | null;
}

export interface BackupSummary {
  tables: number;
  rows: number;
}

export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

/** Public tables ordered so that every table comes after those its foreign keys point to. */
async function tablesInDependencyOrder(
  client: pg.Client,
): Promise<{ tables: string[]; selfReferencing: string[] }> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL($1) ORDER BY 1`,
    [NOT_DATA],
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  const selfReferencing = new Set<string>();
  for (const edge of edges) {
    const [child, parent] = [unquote(edge.child), unquote(edge.parent)];
    if (child === parent) selfReferencing.add(child);
    else parents.get(child)?.add(parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = [...parents].filter(
      ([name, deps]) => !placed.has(name) && [...deps].every((d) => placed.has(d)),
    );
    if (!ready.length) throw new Error('Dipendenze circolari tra tabelle: backup non possibile.');
    for (const [name] of ready) {
      ordered.push(name);
      placed.add(name);
    }
  }
  return { tables: ordered, selfReferencing: [...selfReferencing].sort() };
}

async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM "${MIGRATIONS_TABLE}"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((row) => row.migration_name);
}

const quote = (table: string) => `"${table.replaceAll('"', '""')}"`;

/** Writes a consistent backup of the database at `url` to `file`. */
export async function writeBackup(
  url: string,
  file: string,
  answerLinkSecret: string | null,
): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const partial = `${file}.partial`;
  const lines = new PassThrough();
  const written = pipeline(lines, createGzip(), createWriteStream(partial, { mode: 0o600 }));
  const write = async (value: unknown) => {
    if (!lines.write(`${JSON.stringify(value)}\n`)) await once(lines, 'drain');
  };
  let rows = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { tables, selfReferencing } = await tablesInDependencyOrder(client);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      serverVersion: (await client.query<{ v: string }>('SHOW server_version')).rows[0]!.v,
      migrations: await appliedMigrations(client),
      tables,
      selfReferencing,
      answerLinkSecret,
    };
    await write(header);
    for (const table of tables) {
      await client.query(
        `DECLARE dump NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${quote(table)} t`,
      );
      for (;;) {
        const batch = await client.query<{ row: string }>(`FETCH ${BATCH_ROWS} FROM dump`);
        for (const { row } of batch.rows) {
          if (!lines.write(`{"table":${JSON.stringify(table)},"row":${row}}\n`)) await once(lines, 'drain');
        }
        rows += batch.rows.length;
        if (batch.rows.length < BATCH_ROWS) break;
      }
      await client.query('CLOSE dump');
    }
    await client.query('COMMIT');
    lines.end();
    await written;
    renameSync(partial, file);
    return { tables: tables.length, rows };
  } catch (error) {
    lines.destroy();
    await written.catch(() => {});
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end();
  }
}

async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file).pipe(createGunzip());
  for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line) yield line;
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  let header: Partial<BackupHeader> | undefined;
  try {
    for await (const line of readLines(file)) {
      header = JSON.parse(line) as Partial<BackupHeader>;
      break;
    }
  } catch (error) {
    throw new BackupRefused(`${file} non è un backup leggibile: ${(error as Error).message}`);
  }
  if (header?.format !== BACKUP_FORMAT) {
    throw new BackupRefused(`${file} non è un backup di questo servizio (formato atteso ${BACKUP_FORMAT}).`);
  }
  return header as BackupHeader;
}

/** Tables of the target that already hold rows: a restore goes only into an empty database. */
async function tablesWithRows(client: pg.Client): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL($1) ORDER BY 1`,
    [NOT_DATA],
  );
  const filled: string[] = [];
  for (const { name } of tables) {
    const { rowCount } = await client.query(`SELECT 1 FROM ${quote(name)} LIMIT 1`);
    if (rowCount) filled.push(name);
  }
  return filled;
}

/**
 * Loads `file` into the empty database at `url`: the backup's schema, its rows in one transaction, then the
 * migrations written since. Refuses a database that already holds data.
 */
export async function restoreBackup(url: string, file: string): Promise<BackupSummary> {
  const header = await readBackupHeader(file);
  const known = new Set(readMigrations().map((m) => m.name));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new BackupRefused(
      `Il backup viene da una versione più recente del servizio (migrazioni sconosciute: ${unknown.join(', ')}): ` +
        'aggiornare il servizio prima di ripristinarlo.',
    );
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const filled = await tablesWithRows(client);
    if (filled.length) {
      throw new BackupRefused(
        `Il database di destinazione non è vuoto (contiene dati in ${filled.slice(0, 5).join(', ')}` +
          `${filled.length > 5 ? '…' : ''}): il ripristino va fatto in un database vuoto, per non mescolare dati.`,
      );
    }
    await applyMigrations(url, { upTo: header.migrations.at(-1) ?? '' });
    await client.query('BEGIN');
    const selfReferencing = new Set(header.selfReferencing);
    let rows = 0;
    let pending: { table: string; rows: string[] } = { table: '', rows: [] };
    const flush = async () => {
      if (!pending.rows.length) return;
      await client.query(
        `INSERT INTO ${quote(pending.table)} SELECT * FROM json_populate_recordset(NULL::${quote(pending.table)}, $1::json)`,
        [`[${pending.rows.join(',')}]`],
      );
      rows += pending.rows.length;
      pending = { table: pending.table, rows: [] };
    };
    let first = true;
    for await (const line of readLines(file)) {
      if (first) {
        first = false;
        continue;
      }
      const { table, row } = JSON.parse(line) as { table: string; row: unknown };
      if (table !== pending.table) {
        await flush();
        pending = { table, rows: [] };
      }
      pending.rows.push(JSON.stringify(row));
      // A row may point to a later row of its own table: such tables go in one statement, checked at its end.
      if (pending.rows.length >= BATCH_ROWS && !selfReferencing.has(table)) await flush();
    }
    await flush();
    await client.query('COMMIT');
    await applyMigrations(url);
    return { tables: header.tables.length, rows };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
