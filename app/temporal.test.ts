/**
 * Which Temporal server `npm start` uses when TEMPORAL_ADDRESS is not set, and that it says so. Whether the
 * `temporal` CLI is installed and whether temporal.download answers depend on the machine, so those two
 * sources are replaced here (the download site is the edge of the world we do not control); the servers
 * actually started are real, and a real client talks to them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../prisma/free-port';
import { startTemporalServer } from '../tools/temporal-server/src/index';
import { loadConfig } from './config';
import { resolveTemporal, type DevServerSources, type TemporalEndpoint } from './temporal';

const dirs: string[] = [];
const endpoints: TemporalEndpoint[] = [];
afterEach(async () => {
  await Promise.allSettled(endpoints.splice(0).map((e) => e.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function resolve(env: Record<string, string>, sources: DevServerSources) {
  const dataDir = mkdtempSync(join(tmpdir(), 'temporal-choice-'));
  dirs.push(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, EMBEDDED_TEMPORAL_PORT: String(await freePort()), ...env });
  const said: string[] = [];
  const endpoint = await resolveTemporal(config, (message) => said.push(message), sources);
  endpoints.push(endpoint);
  return { endpoint, said: said.join('\n'), dataDir };
}

/** A real client reaches the server: it answers for the namespace the worker will use. */
async function answers(address: string, namespace = 'default') {
  const connection = await Connection.connect({ address });
  try {
    const info = await connection.workflowService.describeNamespace({ namespace });
    return info.namespaceInfo?.name;
  } finally {
    await connection.close();
  }
}

const noCli = () => false;
const unreachable: DevServerSources['download'] = () =>
  Promise.reject(new Error('failed to download ephemeral server executable: dns error\nsecond line'));

describe('resolveTemporal', () => {
  it('TEMPORAL_ADDRESS wins: nothing is started or downloaded', async () => {
    let asked = false;
    const { endpoint, said } = await resolve(
      { TEMPORAL_ADDRESS: 'temporal.example.org:7233' },
      {
        cliInstalled: () => ((asked = true), true),
        download: () => ((asked = true), unreachable({} as never)),
      },
    );
    expect(endpoint).toMatchObject({ kind: 'external', address: 'temporal.example.org:7233' });
    expect(said).toContain('TEMPORAL_ADDRESS');
    expect(asked).toBe(false);
  });

  it('no CLI and the download site unreachable (faked): the offline server starts, and the reason is said', async () => {
    const { endpoint, said } = await resolve({}, { cliInstalled: noCli, download: unreachable });
    expect(endpoint.kind).toBe('offline');
    expect(said).toMatch(/scaricamento del server di sviluppo ufficiale/);
    expect(said).toMatch(/server offline integrato .*non disponibile: failed to download .*dns error\)/);
    expect(said).not.toContain('second line');
    expect(said).toMatch(/si perde al riavvio/);
    expect(await answers(endpoint.address)).toBe('default');
  });

  it('download switched off: the offline server starts without trying', async () => {
    let tried = false;
    const { endpoint, said } = await resolve(
      { TEMPORAL_DEV_SERVER_DOWNLOAD: 'false' },
      { cliInstalled: noCli, download: () => ((tried = true), unreachable({} as never)) },
    );
    expect(endpoint.kind).toBe('offline');
    expect(tried).toBe(false);
    expect(said).toContain('TEMPORAL_DEV_SERVER_DOWNLOAD=false');
  });

  it('the download succeeds (site faked, the offline server standing in for the binary): the official kind is used', async () => {
    let asked: { port: number; namespace: string; dbFile: string; downloadDir: string } | undefined;
    const { endpoint, said, dataDir } = await resolve(
      { TEMPORAL_NAMESPACE: 'ambito-cremasco' },
      {
        cliInstalled: noCli,
        download: async (place) => {
          asked = place;
          const server = await startTemporalServer({ port: place.port });
          return { address: server.address, stop: () => server.stop() };
        },
      },
    );
    expect(endpoint.kind).toBe('official-dev-server');
    expect(asked).toMatchObject({
      namespace: 'ambito-cremasco',
      dbFile: join(dataDir, 'temporal', 'dev.sqlite'),
      downloadDir: join(dataDir, 'temporal', 'bin'),
    });
    expect(endpoint.address).toBe(`127.0.0.1:${asked!.port}`);
    expect(said).toMatch(/server di sviluppo ufficiale \(scaricato in .*temporal\/bin\).*dev\.sqlite/);
  });
});
