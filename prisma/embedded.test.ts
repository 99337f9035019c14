import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded';
import { freePort } from './free-port';

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('initialises an empty data directory once and keeps the data across restarts', async () => {
    const messages: string[] = [];
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, log: (m) => messages.push(m) });
    await query(first.url(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('ancora qui')");
    await first.stop();
    expect(messages[0]).toMatch(/^Inizializzazione di PostgreSQL integrato/);

    messages.length = 0;
    const second = await startEmbeddedPostgres({ dataDir, port, log: (m) => messages.push(m) });
    try {
      expect(await query(second.url(), 'SELECT v FROM kept')).toEqual([{ v: 'ancora qui' }]);
      expect(messages.some((m) => m.startsWith('Inizializzazione'))).toBe(false);
      expect(messages).toContain(`Avvio di PostgreSQL integrato sulla porta ${port}…`);
    } finally {
      await second.stop();
    }
  });

  it('flushes every commit to disk, except on a throwaway cluster', async () => {
    const durable = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: () => {} });
    try {
      expect(await query(durable.url(), 'SHOW fsync')).toEqual([{ fsync: 'on' }]);
    } finally {
      await durable.stop();
    }
    const scratchDir = mkdtempSync(join(tmpdir(), 'embedded-pg-test-'));
    const scratch = await startEmbeddedPostgres({
      dataDir: scratchDir,
      port: await freePort(),
      log: () => {},
      throwaway: true,
    });
    try {
      expect(await query(scratch.url(), 'SHOW fsync')).toEqual([{ fsync: 'off' }]);
    } finally {
      await scratch.stop();
      rmSync(scratchDir, { recursive: true, force: true });
    }
  });

  it('says which port and directory when the server cannot start', async () => {
    const port = await freePort();
    const running = await startEmbeddedPostgres({ dataDir, port, log: () => {} });
    try {
      const otherDir = mkdtempSync(join(tmpdir(), 'embedded-pg-test-'));
      await expect(startEmbeddedPostgres({ dataDir: otherDir, port, log: () => {} })).rejects.toThrow(
        new RegExp(`non si è avviato \\(porta ${port}`),
      );
      rmSync(otherDir, { recursive: true, force: true });
    } finally {
      await running.stop();
    }
  });

  it('stops the server cleanly when the process gets SIGTERM', async () => {
    const port = await freePort();
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(join(import.meta.dirname, 'embedded.ts'))};
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('PostgreSQL integrato pronto.')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(output).toContain('Arresto di PostgreSQL integrato…');
    // Postgres removes its pid file only on a clean shutdown.
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  });
});
