/**
 * Prisma's own schema engine, compiled to WebAssembly (`@prisma/schema-engine-wasm`), driven through the
 * pg driver adapter. It replaces the native engine binary that `prisma migrate` would download, so that
 * migrations can be written offline: `diff` renders schema.prisma as SQL, which the schema test compares
 * with the migrated database, and `applyMigrations` (Prisma's `migrate deploy`) checks that Prisma and
 * prisma/migrate.ts keep the same history. (Introspecting a live database through it fails on Postgres 18's NOT NULL
 * constraints and the pg adapter's handling of the internal "char" type, so it is never asked to.)
 *
 * Development tooling only: the app applies migrations with prisma/migrate.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

type SchemaEngine = glue.SchemaEngine;
export type DiffTarget = Parameters<SchemaEngine['diff']>[0]['from'];

export const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), 'schema.prisma');

let loaded: Promise<void> | undefined;

/** The slice of the WebAssembly API we use; tsconfig's lib (no DOM) does not declare it. */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: Record<string, unknown> }>;
  Module: { imports(module: object): { module: string; name: string }[] };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The package's entry imports the .wasm as an ES module, which Node 20 cannot; instantiate it by hand. */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    // The engine reports panics through this global before throwing.
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(this: { message: string }, message: string) {
        this.message = message;
        process.stderr.write(`schema engine panic: ${message}\n`);
      },
    };
    const module = await Wasm.compile(readFileSync(wasmPath));
    const bindings = glue as unknown as Record<string, unknown>;
    const imports: Record<string, Record<string, unknown>> = {};
    for (const { module: name, name: field } of Wasm.Module.imports(module)) {
      (imports[name] ??= {})[field] = bindings[field];
    }
    const instance = await Wasm.instantiate(module, imports);
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  })();
  return loaded;
}

export function schemaFiles(schemaPath = SCHEMA_PATH) {
  return [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }];
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * The pg adapter runs a migration script by splitting it at every ';', which cuts a function body written
 * between $$ (migration planning_stamp) into pieces Postgres refuses. Postgres itself runs a whole script
 * sent as one simple query, as prisma/migrate.ts sends it; so does this adapter.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    return wholeScripts(await super.connect());
  }
  override async connectToShadowDb() {
    return wholeScripts(await super.connectToShadowDb());
  }
}

function wholeScripts(adapter: PgAdapter): PgAdapter {
  const { client, onError } = adapter as unknown as {
    client: pg.Pool;
    onError: (error: unknown) => never;
  };
  adapter.executeScript = async (script) => {
    await client.query(script).catch((error: unknown) => onError.call(adapter, error));
  };
  return adapter;
}

/** Runs `fn` with an engine connected to `connectionString` (the database it introspects and alters). */
export async function withSchemaEngine<T>(
  connectionString: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPg({ connectionString }));
  const files = schemaFiles();
  const engine = await glue.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    () => {},
    adapter,
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** The SQL that takes a database from `from` to `to` (empty string when they already agree). */
export async function diffScript(
  connectionString: string,
  from: DiffTarget,
  to: DiffTarget,
): Promise<string> {
  return withSchemaEngine(connectionString, async (engine) => {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTER });
    return result.stdout ?? '';
  });
}

/** The target "what schema.prisma declares". */
export const declaredSchema = (): DiffTarget => ({ tag: 'schemaDatamodel', files: schemaFiles() });

/** prisma/migrations as the engine's `migrate deploy` reads it. */
export function migrationsList(migrations: { name: string; sql: string }[], baseDir: string) {
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: readFileSync(join(baseDir, 'migration_lock.toml'), 'utf8'),
    },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: m.sql } },
    })),
  };
}

/** What `prisma migrate deploy` does: applies the migrations Prisma's engine considers pending. */
export function deployWithPrisma(
  connectionString: string,
  migrations: { name: string; sql: string }[],
  baseDir: string,
) {
  return withSchemaEngine(connectionString, async (engine) => {
    const output = await engine.applyMigrations({
      migrationsList: migrationsList(migrations, baseDir),
      filters: NO_FILTER,
    });
    return output.appliedMigrationNames;
  });
}
