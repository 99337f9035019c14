/**
 * The API description: every /api/v1 route is in GET /api/v1/openapi.json with its parameters from the zod
 * schemas it validates with, who may call it and the error body; /api/docs shows it as a page.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPENAPI_PATH } from '../../api/openapi/plugin';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let app: FastifyInstance;
let headers: Record<string, string>;
/** Every /api/v1 route the server registered, as "METHOD /path/{param}", read from its route table. */
const registered = new Set<string>();

interface Document {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        responses: Record<string, unknown>;
        parameters?: { name: string; in: string }[];
        requestBody?: unknown;
      }
    >
  >;
  components: { securitySchemes: Record<string, { type: string; in?: string; scheme?: string }> };
  security: Record<string, unknown>[];
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCremasco(db.prisma);
  app = await buildServer({
    db: db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    governance: null,
  });
  await app.ready();
  // Fastify prints its route table as a tree: each line adds a segment to its parent's path.
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (parents[depth - 1] ?? '') + match[2]!;
    parents[depth] = path;
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of match[3]!.split(', '))
      if (method !== 'HEAD') registered.add(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  headers = await actAs(db.prisma, COORDINATORE);
});

afterAll(async () => {
  await app.close();
  await db.cleanup();
});

async function documentOf(): Promise<Document> {
  const response = await app.inject({ method: 'GET', url: OPENAPI_PATH, headers });
  expect(response.statusCode).toBe(200);
  return response.json<Document>();
}

it('describes every /api/v1 route the server has', async () => {
  const document = await documentOf();
  const described = new Set(
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  expect(registered.size).toBeGreaterThan(15);
  expect([...registered].filter((route) => !described.has(route))).toEqual([]);
  expect([...described].filter((route) => !route.includes(' /api/v1/'))).toEqual([]);
});

it('takes parameters from the zod schemas, and says how to authenticate and how errors look', async () => {
  const document = await documentOf();
  expect(document.openapi).toBe('3.1.0');
  expect(document.components.securitySchemes).toEqual({
    sessione: expect.objectContaining({ type: 'apiKey', in: 'cookie' }),
    tokenApi: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
  });
  expect(document.security).toEqual([{ sessione: [] }, { tokenApi: [] }]);
  const calendar = document.paths['/api/v1/calendar']!.get!;
  expect(calendar.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
    expect.arrayContaining(['query:from', 'query:to']),
  );
  const create = document.paths['/api/v1/meetings']!.post!;
  expect(create.requestBody).toMatchObject({
    content: { 'application/json': { schema: { properties: { bodyId: { format: 'uuid' } } } } },
  });
  expect(create.responses['400']).toMatchObject({
    content: { 'application/json': { schema: { required: ['error', 'message'] } } },
  });
  expect(create.responses['401']).toBeDefined();
});

it('is for signed-in people and scripts: anonymous requests are refused', async () => {
  expect((await app.inject({ method: 'GET', url: OPENAPI_PATH })).statusCode).toBe(401);
  expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(401);
});

it('renders a reference page on the server, with every operation and no script', async () => {
  const response = await app.inject({ method: 'GET', url: '/api/docs', headers });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/html');
  const html = response.body;
  expect(html).toContain("Riferimento dell'API");
  for (const route of registered) expect(html).toContain(`<code>${route}</code>`);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});
