/**
 * Where the Temporal server is. TEMPORAL_ADDRESS wins; without it a laptop gets Temporal's official dev
 * server when its CLI (`temporal`) is installed, and otherwise the bundled offline server, whose state
 * lives in memory. The choice is always said out loud, because it decides whether timers survive a restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { startTemporalServer } from '../tools/temporal-server/src/index';
import type { Config } from './config';

export interface TemporalEndpoint {
  address: string;
  kind: 'external' | 'official-dev-server' | 'offline';
  stop(): Promise<void>;
}

export async function resolveTemporal(
  config: Config,
  log: (message: string) => void,
): Promise<TemporalEndpoint> {
  if (config.TEMPORAL_ADDRESS) {
    log(`Temporal: ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS)`);
    return { address: config.TEMPORAL_ADDRESS, kind: 'external', stop: async () => {} };
  }
  const port = config.EMBEDDED_TEMPORAL_PORT;
  if (hasTemporalCli()) {
    const dbFile = join(config.DATA_DIR, 'temporal', 'dev.sqlite');
    mkdirSync(join(config.DATA_DIR, 'temporal'), { recursive: true });
    const child = spawn(
      'temporal',
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--db-filename',
        dbFile,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port, child);
    log(`Temporal: server di sviluppo ufficiale (temporal CLI) su 127.0.0.1:${port}, stato in ${dbFile}`);
    return { address: `127.0.0.1:${port}`, kind: 'official-dev-server', stop: () => stopChild(child) };
  }
  const server = await startTemporalServer({ port });
  log(
    `Temporal: server offline integrato su ${server.address}. ATTENZIONE: lo stato dei workflow è in memoria e ` +
      'si perde al riavvio (il riconciliatore li ricrea dal database). Impostare TEMPORAL_ADDRESS in produzione.',
  );
  return { address: server.address, kind: 'offline', stop: () => server.stop() };
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
