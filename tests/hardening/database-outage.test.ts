/**
 * Postgres stopped under a running API, then started again: while it is down every request gets a prompt
 * 503 with Retry-After and the Italian message (never a 500, never a hang), /healthz says 503; once it is
 * back the same server answers again, with everything written before the outage. A dedicated embedded
 * Postgres, so the test can stop it without touching the suite's shared cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE } from '../../api/hardening/database';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { createPrismaClient, type Database } from '../../prisma/client';
import { startEmbeddedPostgres, type RunningPostgres } from '../../prisma/embedded';
import { freePort } from '../../prisma/free-port';
import { applyMigrations } from '../../prisma/migrate';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';

let dataDir: string;
let port: number;
let postgres: RunningPostgres;
let db: Database;
let app: FastifyInstance;
let headers: Record<string, string>;

const start = () => startEmbeddedPostgres({ dataDir, port, log: () => {} });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'outage-pg-'));
  port = await freePort();
  postgres = await start();
  await applyMigrations(postgres.url());
  db = createPrismaClient(postgres.url());
  await seedCremasco(db);
  headers = await actAs(db, COORDINATORE);
  app = await buildServer({ db, config: loadConfig({ LOG_LEVEL: 'silent' }), governance: null });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The answer, or a failure if none comes within 15 s: a hang is as bad as a 500. */
async function request(options: InjectOptions) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer: ${options.url}`)), 15_000)),
  );
  try {
    return await Promise.race([app.inject(options), hang]);
  } finally {
    clearTimeout(timer);
  }
}

it('answers 503 while Postgres is down and serves again, with its data, once it is back', async () => {
  const before = await request({ method: 'GET', url: '/api/v1/bodies', headers });
  expect(before.statusCode).toBe(200);
  const bodies = before.json<{ bodies: unknown[] }>().bodies;
  expect(bodies.length).toBeGreaterThan(0);

  await postgres.stop();

  const health = await request({ method: 'GET', url: '/healthz' });
  expect(health.statusCode).toBe(503);
  expect(health.json()).toEqual({ status: 'error', database: 'non raggiungibile' });
  for (const attempt of [
    { method: 'GET', url: '/api/v1/bodies', headers },
    { method: 'GET', url: '/api/v1/calendar?from=2027-01-01&to=2027-12-31', headers },
    { method: 'GET', url: '/api/v1/messages/failed', headers },
    {
      method: 'POST',
      url: '/api/v1/meetings/00000000-0000-4000-8000-000000000000/cancel',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: { reason: 'Sala non disponibile' },
    },
  ] as InjectOptions[]) {
    const response = await request(attempt);
    expect({ url: attempt.url, status: response.statusCode, body: response.json() }).toEqual({
      url: attempt.url,
      status: 503,
      body: DATABASE_UNAVAILABLE,
    });
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
  }

  postgres = await start();

  let after = await request({ method: 'GET', url: '/healthz' });
  // The pool may hand out one connection that died with the server before it notices.
  for (let i = 0; i < 20 && after.statusCode !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await request({ method: 'GET', url: '/healthz' });
  }
  expect(after.statusCode).toBe(200);
  const again = await request({ method: 'GET', url: '/api/v1/bodies', headers });
  expect(again.statusCode).toBe(200);
  expect(again.json<{ bodies: unknown[] }>().bodies).toEqual(bodies);
}, 120_000);
