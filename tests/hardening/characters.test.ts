/**
 * Characters Postgres cannot store: NUL in text, and a lone UTF-16 surrogate, which JSON can carry as an
 * escape (`"\ud800"`) and Postgres refuses in jsonb (the audit's payload). The fuzzer found routes where
 * each reached a query and came back as a 500; now any request carrying one is refused with 400, naming the
 * field, before a route sees it, and nothing is written.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let app: FastifyInstance;
let coordinator: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCremasco(db.prisma);
  app = await buildServer({ db: db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }), governance: null });
  coordinator = await actAs(db.prisma, COORDINATORE);
  // A token's first use is audited (then at most hourly): done here, so the counts below see only the test.
  expect((await app.inject({ url: '/api/v1/me', headers: coordinator })).statusCode).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

/** Sends the request and checks that it is refused with 400 naming the field, and that nothing is stored. */
async function expectRefused(request: InjectOptions, field: string, message: string) {
  const tokens = await db.prisma.apiToken.count();
  const audit = await db.prisma.auditEvent.count();
  const response = await app.inject({ ...request, headers: coordinator });
  expect(response.statusCode).toBe(400);
  expect(response.json()).toMatchObject({ error: 'carattere_non_ammesso', fields: [{ field, message }] });
  expect(await db.prisma.apiToken.count()).toBe(tokens);
  expect(await db.prisma.auditEvent.count()).toBe(audit);
}

it.each([
  ['a query parameter', 'GET', '/api/v1/bodies?ambito=%00', undefined, 'ambito'],
  ['a body field', 'POST', '/api/v1/tokens', { name: 'script\u0000notturno' }, 'name'],
  ['a nested field', 'POST', '/api/v1/tokens', { name: 'ok', extra: { deep: ['\u0000'] } }, 'extra.deep.0'],
  ['a path parameter', 'GET', '/api/v1/meetings/%00', undefined, 'id'],
] as const)(
  'refuses a NUL in %s with 400 naming the field, and stores nothing',
  (_, method, url, payload, field) =>
    expectRefused(
      { method, url, ...(payload ? { payload } : {}) },
      field,
      'Contiene un carattere non ammesso (NUL).',
    ),
);

it.each([
  ['a high surrogate alone', { nome: 'Script \ud800' }, 'nome'],
  ['a low surrogate alone', { nome: '\udc00 notturno' }, 'nome'],
  ['two high surrogates', { nome: '\ud83d\ud83d' }, 'nome'],
  ['a lone surrogate in a key', { nome: 'ok', ['\udfff']: 1 }, '\udfff'],
] as const)('refuses %s in a JSON body with 400 naming the field, and stores nothing', (_, payload, field) =>
  expectRefused(
    { method: 'POST', url: '/api/v1/tokens', payload },
    field,
    'Contiene un carattere non valido (metà di una coppia di surrogati UTF-16).',
  ),
);

it('takes characters outside the Basic Multilingual Plane, whose surrogates come in pairs', async () => {
  const nome = 'Calendario 📅 di Zoë';
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: coordinator,
    payload: { nome },
  });
  expect(response.statusCode).toBe(201);
  expect((await db.prisma.apiToken.findFirstOrThrow({ where: { name: nome } })).name).toBe(nome);
});
