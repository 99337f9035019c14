/**
 * Where the Temporal server is. TEMPORAL_ADDRESS wins. Without it a laptop gets Temporal's official dev
 * server, which keeps workflow state in a SQLite file under DATA_DIR: from the `temporal` CLI when it is
 * installed, else downloaded once by the Temporal SDK (cached under DATA_DIR) unless
 * TEMPORAL_DEV_SERVER_DOWNLOAD=false. When neither can be had (no network, say) the bundled offline server
 * starts, whose state lives in memory. The choice, and why, is always said out loud, because it decides
 * whether timers survive a restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { startTemporalServer } from '../tools/temporal-server/src/index';
import type { Config } from './config';

export interface TemporalEndpoint {
  address: string;
  kind: 'external' | 'official-dev-server' | 'offline';
  stop(): Promise<void>;
}

interface DevServerPlace {
  port: number;
  /** Created at start (the dev server only has "default" otherwise). */
  namespace: string;
  /** SQLite file holding the workflows: they survive a restart. */
  dbFile: string;
  /** Where a downloaded server binary is kept between starts. */
  downloadDir: string;
}

type RunningServer = Pick<TemporalEndpoint, 'address' | 'stop'>;

/** Temporal's official dev server, fetched by the SDK from temporal.download (the edge tests replace). */
export type DevServerDownload = (place: DevServerPlace) => Promise<RunningServer>;

/** The two ways to the official dev server; tests replace them, since the CLI and network vary by machine. */
export interface DevServerSources {
  cliInstalled: () => boolean;
  download: DevServerDownload;
}

export async function resolveTemporal(
  config: Config,
  log: (message: string) => void,
  sources: DevServerSources = { cliInstalled: hasTemporalCli, download: downloadDevServer },
): Promise<TemporalEndpoint> {
  if (config.TEMPORAL_ADDRESS) {
    log(`Temporal: ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS)`);
    return { address: config.TEMPORAL_ADDRESS, kind: 'external', stop: async () => {} };
  }
  const port = config.EMBEDDED_TEMPORAL_PORT;
  const place: DevServerPlace = {
    port,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: join(config.DATA_DIR, 'temporal', 'dev.sqlite'),
    downloadDir: join(config.DATA_DIR, 'temporal', 'bin'),
  };
  const official = (server: RunningServer, how: string): TemporalEndpoint => {
    log(`Temporal: server di sviluppo ufficiale (${how}) su ${server.address}, stato in ${place.dbFile}`);
    return { ...server, kind: 'official-dev-server' };
  };
  if (sources.cliInstalled()) {
    mkdirSync(dirname(place.dbFile), { recursive: true });
    return official(await startCliDevServer(place), 'temporal CLI');
  }

  let why = 'scaricamento disattivato (TEMPORAL_DEV_SERVER_DOWNLOAD=false)';
  if (config.TEMPORAL_DEV_SERVER_DOWNLOAD) {
    log('Temporal: nessuna CLI temporal installata; scaricamento del server di sviluppo ufficiale…');
    mkdirSync(place.downloadDir, { recursive: true });
    try {
      return official(await sources.download(place), `scaricato in ${place.downloadDir}`);
    } catch (error) {
      why = `server di sviluppo ufficiale non disponibile: ${firstLine(error)}`;
    }
  }
  const server = await startTemporalServer({ port });
  log(
    `Temporal: server offline integrato su ${server.address} (${why}). ATTENZIONE: lo stato dei workflow è ` +
      'in memoria e si perde al riavvio (il riconciliatore li ricrea dal database). ' +
      'Impostare TEMPORAL_ADDRESS in produzione.',
  );
  return { address: server.address, kind: 'offline', stop: () => server.stop() };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error)
    .split('\n')[0]!
    .slice(0, 300);
}

async function downloadDevServer(place: DevServerPlace): Promise<RunningServer> {
  // Loaded only here: the testing package pulls in the SDK's native bridge and is not needed otherwise.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: place.port,
      namespace: place.namespace,
      dbFilename: place.dbFile,
      executable: { type: 'cached-download', downloadDir: place.downloadDir },
    },
  });
  return { address: env.address, stop: () => env.teardown() };
}

async function startCliDevServer(place: DevServerPlace): Promise<RunningServer> {
  const child = spawn(
    'temporal',
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(place.port),
      '--db-filename',
      place.dbFile,
      '--namespace',
      place.namespace,
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(place.port, child);
  return { address: `127.0.0.1:${place.port}`, stop: () => stopChild(child) };
}

function hasTemporalCli(): boolean {
  return spawnSync('temporal', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Il server Temporal di sviluppo è terminato (codice ${child.exitCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGTERM');
  throw new Error(
    `Il server Temporal di sviluppo non risponde sulla porta ${port} dopo ${timeoutMs / 1000} s`,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
