/**
 * Vitest global setup: one embedded Postgres cluster for the whole run, in a temporary directory on a free
 * port, with a migrated template database that createTestDatabase() copies for each test file.
 * Wired in vitest.config.ts as `globalSetup: ['tests/support/global-setup.ts']`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../prisma/embedded';
import { applyMigrations } from '../../prisma/migrate';
import { freePort } from '../../prisma/free-port';
import { TEMPLATE_DATABASE } from './constants';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'governance-test-pg-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: () => {},
    throwaway: true,
  });
  try {
    const admin = new (await import('pg')).default.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    await applyMigrations(server.url(TEMPLATE_DATABASE));
  } catch (error) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('postgresAdminUrl', server.url());
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
