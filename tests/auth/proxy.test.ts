/**
 * Behind a load balancer every request arrives from the balancer's address. The sign-in limits count per
 * client, so with TRUST_PROXY naming the balancer they count the address it forwards; without it they
 * ignore a forwarded address, which anyone could forge when clients connect directly.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.cleanup());

/** POSTs to the sign-in form (the per-client limit is 30 a minute) as the client `forwardedFor`. */
async function askFrom(app: FastifyInstance, forwardedFor: string): Promise<number> {
  const response = await app.inject({
    method: 'POST',
    url: '/accesso',
    headers: { 'x-forwarded-for': forwardedFor, accept: 'text/html' },
    payload: { email: 'nessuno@example.org' },
  });
  return response.statusCode;
}

async function withServer(env: Record<string, string>, run: (app: FastifyInstance) => Promise<void>) {
  const app = await buildServer({
    db: db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent', ...env }),
    governance: null,
  });
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

describe('the sign-in limit behind a proxy', () => {
  it('with TRUST_PROXY naming the proxy, counts each forwarded client on its own', async () => {
    await withServer({ TRUST_PROXY: '127.0.0.1' }, async (app) => {
      for (let i = 0; i < 30; i++) expect(await askFrom(app, '203.0.113.7')).not.toBe(429);
      expect(await askFrom(app, '203.0.113.7')).toBe(429);
      expect(await askFrom(app, '198.51.100.20')).not.toBe(429);
    });
  });

  it('without TRUST_PROXY, ignores the forwarded address: one count for the connection', async () => {
    await withServer({}, async (app) => {
      for (let i = 0; i < 30; i++) expect(await askFrom(app, `203.0.113.${i}`)).not.toBe(429);
      expect(await askFrom(app, '198.51.100.20')).toBe(429);
    });
  });
});
