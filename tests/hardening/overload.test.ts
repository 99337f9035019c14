/**
 * Overload: a saturated event loop turns requests away at once with 503 and Retry-After (in Italian), and
 * every route refuses a body above its limit with 413 naming the body, before any handler runs.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_BODY_BYTES, RETRY_AFTER_SECONDS } from '../../api/hardening/plugin';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCremasco(db.prisma);
  app = await buildServer({ db: db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }), governance: null });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await db.cleanup();
});

/** Keeps the event loop busy, as a burst of CPU-bound work would. */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* busy */
  }
}

it('answers 503 with Retry-After while the event loop is saturated, and serves again once it is not', async () => {
  expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  let refused;
  // under-pressure reads the mean loop delay since its last sample (every 500 ms). Blocks separated only by
  // a setImmediate leave no idle samples between them, so from the second block on the mean is the block
  // itself (2.5 s, above the 2 s limit). The probe is a path no route serves: it answers without I/O, so it
  // adds no samples either (a database round trip would, and dilute the mean).
  for (let attempt = 0; attempt < 6 && !refused; attempt++) {
    blockEventLoop(2_500);
    await new Promise((resolve) => setImmediate(resolve));
    const response = await app.inject({ method: 'GET', url: '/sovraccarico-sonda' });
    if (response.statusCode === 503) refused = response;
  }
  expect(refused?.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
  expect(refused?.json()).toEqual({
    error: 'servizio_sovraccarico',
    message: expect.stringContaining('sovraccarico'),
  });
  let served = 503;
  for (let attempt = 0; attempt < 50 && served === 503; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    served = (await app.inject({ method: 'GET', url: '/healthz' })).statusCode;
  }
  expect(served).toBe(200);
});

it('refuses a body above the limit with 413 naming it, before the handler runs', async () => {
  const huge = JSON.stringify({ reason: 'x'.repeat(MAX_BODY_BYTES + 10) });
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/meetings/00000000-0000-4000-8000-000000000000/cancel',
    headers: { ...(await actAs(db.prisma, COORDINATORE)), 'content-type': 'application/json' },
    payload: huge,
  });
  expect(response.statusCode).toBe(413);
  expect(response.json()).toEqual({
    error: 'richiesta_non_valida',
    message: expect.stringContaining('dimensione massima'),
    fields: [{ field: 'corpo', message: 'troppo grande' }],
  });
});
