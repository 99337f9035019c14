/**
 * Who a token is, with their roles, is kept between requests by the access stamp (api/stamps.ts): the
 * answer must still follow every write, whoever makes it (here plain SQL behind the service's back). How
 * long a kept answer may live without a write (the next day, when seats begin and end) is api/stamps.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  app = await buildServer({ db: database.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const me = async (headers: Record<string, string>) => {
  const response = await app.inject({ url: '/api/v1/me', headers });
  return { status: response.statusCode, roles: response.json().ruoli };
};

describe('a token kept between requests', () => {
  it('loses a role taken away behind the service, then stops working when revoked', async () => {
    const coordinator = await actAs(database.prisma, COORDINATORE);
    const calendar = () =>
      app.inject({ url: '/api/v1/calendar?from=2027-01-01&to=2027-01-31', headers: coordinator });
    expect((await calendar()).statusCode).toBe(200);
    expect((await calendar()).statusCode).toBe(200);

    await database.prisma.$executeRaw`
      DELETE FROM "UfficioDiPianoMember" WHERE "personId" = (SELECT id FROM "Person" WHERE email = ${COORDINATORE})`;
    expect((await calendar()).statusCode).toBe(403);
    expect((await me(coordinator)).roles.udpOf).toEqual([]);

    await database.prisma.$executeRaw`UPDATE "ApiToken" SET "revokedAt" = now()`;
    expect((await me(coordinator)).status).toBe(401);
  });
});
