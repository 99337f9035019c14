/**
 * `tsx prisma/create-migration.ts <name>`: after editing schema.prisma, writes
 * prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes the committed schema
 * (git HEAD) to the edited one. The SQL comes from Prisma's own schema engine (wasm), which needs a live
 * Postgres connection even to compare two schema files, so a throwaway embedded cluster is started.
 * Review the SQL (renames show up as drop + add) before committing it with the schema change.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded';
import { freePort } from './free-port';
import { MIGRATIONS_DIR } from './migrate';
import { declaredSchema, diffScript, type DiffTarget } from './schema-engine';

function committedSchema(): DiffTarget {
  try {
    const content = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] };
  } catch {
    return { tag: 'empty' };
  }
}

const timestamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 14);

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error('Uso: tsx prisma/create-migration.ts <nome_in_snake_case>');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'create-migration-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: () => {},
    throwaway: true,
  });
  let sql: string;
  try {
    sql = await diffScript(server.url(), committedSchema(), declaredSchema());
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (!/^\s*[^-\s]/m.test(sql)) {
    console.log('schema.prisma non differisce da quello in git HEAD: nessuna migrazione creata.');
    return;
  }
  const dir = join(MIGRATIONS_DIR, `${timestamp()}_${name}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'migration.sql'), sql);
  console.log(`Migrazione scritta in ${dir}/migration.sql: rileggerla prima del commit.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
