/**
 * The service as `npm start` runs it, in its own process, on a fresh temporary DATA_DIR and free ports
 * (embedded Postgres, seeded; offline Temporal server; embedded mail catcher), for the API benchmark.
 * BENCH_API_NODE_ARGS adds Node flags to the service process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * to profile it under load (the profile is written when it exits after SIGTERM).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../prisma/free-port';
import { cpuSecondsOfTree } from '../cpu-time';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 180_000;

export interface RunningService {
  url: string;
  /** The service's embedded Postgres. */
  databaseUrl: string;
  /** CPU seconds used so far by the service and its children (Postgres, Temporal server). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function startService(): Promise<RunningService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only what the bench creates: never a configured database, Temporal or mail server.
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'PEC_SMTP_URL', 'PUBLIC_BASE_URL'])
    delete env[name];
  const postgresPort = await freePort();
  Object.assign(env, {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    MAIL_CATCHER_PORT: String(await freePort()),
    TEMPORAL_DEV_SERVER_DOWNLOAD: 'false',
    LOG_LEVEL: 'warn',
  });
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'app/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`servizio non pronto dopo ${READY_TIMEOUT_MS / 1000} s:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Servizio pronto su (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((code) =>
      reject(new Error(`servizio terminato (${code}) prima di essere pronto:\n${output}`)),
    );
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    cleanUp();
    throw error;
  });
  return {
    url,
    // The embedded server's default user, password and database (prisma/embedded.ts).
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${postgresPort}/postgres`,
    cpuSeconds: () => cpuSecondsOfTree(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      cleanUp();
    },
  };
}
