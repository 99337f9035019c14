/**
 * The layout every page renders through: bootstrap-italia and its fonts served locally, the navigation and
 * the accessibility statement in every footer, no inline script, and the error pages browsers get.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';

let database: TestDatabase;
let app: FastifyInstance;
const HTML = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  app = await buildServer({
    db: database.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent', MAIL_FROM: 'Ufficio di Piano <udp@crema.example.org>' }),
  });
});
afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

describe('layout', () => {
  it('serves the accessibility statement in the layout, with the feedback address and the Difensore civico', async () => {
    const response = await app.inject({ url: '/accessibilita', headers: HTML });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const html = response.body;
    expect(html).toContain('<html lang="it">');
    expect(html).toContain('Ambito Distrettuale Cremasco');
    expect(html).toMatch(/href=["']mailto:udp@crema.example.org["']/);
    expect(html).toContain('Difensore civico');
    expect(html).toContain('legge 9 gennaio 2004, n. 4');
    expect(html).toContain('href="/accessibilita"');
    expect(html).toContain('/bootstrap-italia/css/bootstrap-italia.min.css');
  });

  it('never runs inline script and forbids it by Content-Security-Policy', async () => {
    const response = await app.inject({ url: '/accessibilita', headers: HTML });
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)/i);
    expect(response.body).not.toMatch(/\son[a-z]+=/i);
    expect(response.body).not.toMatch(/\sstyle=/i);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('serves bootstrap-italia and its fonts from node_modules, and the local stylesheets', async () => {
    const css = await app.inject({ url: '/bootstrap-italia/css/bootstrap-italia.min.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    const fonts = await app.inject({ url: '/risorse/caratteri.css' });
    expect(fonts.statusCode).toBe(200);
    // The icon every page names, so browsers do not ask for a missing /favicon.ico.
    const page = await app.inject({ url: '/accessibilita', headers: HTML });
    expect(page.body).toContain('<link rel="icon" href="/risorse/icona.svg" type="image/svg+xml">');
    const icon = await app.inject({ url: '/risorse/icona.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    const font = /url\('([^']+\.woff2)'\)/.exec(fonts.body)![1]!;
    const file = await app.inject({ url: font });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.length).toBeGreaterThan(10_000);
  });

  it('shows the Ufficio di Piano its whole navigation, and an anonymous visitor none', async () => {
    const headers = { ...HTML, ...(await actAs(database.prisma, COORDINATORE)) };
    const html = (await app.inject({ url: '/accessibilita', headers })).body;
    for (const label of [
      'Oggi',
      'Calendario',
      'Organi',
      'Persone',
      'Scadenze',
      'Posta',
      'Nuova seduta',
      'Presenze',
      'Monitoraggio',
      'Le mie riunioni',
      'Profilo',
    ])
      expect(html).toContain(`>${label}</a>`);
    const anonymous = (await app.inject({ url: '/accessibilita', headers: HTML })).body;
    expect(anonymous).not.toContain('>Calendario</a>');
  });

  it('answers an address it cannot route with the Italian error page and the headers of every page', async () => {
    const everyPage = await app.inject({ url: '/accessibilita', headers: HTML });
    const headers = [
      'content-security-policy',
      'x-frame-options',
      'x-content-type-options',
      'referrer-policy',
    ];
    for (const url of [
      `/persone/${'x'.repeat(300)}`,
      '/organi/%E0%A4%A',
      `/api/v1/bodies/${'x'.repeat(300)}`,
    ]) {
      const answer = await app.inject({ url, headers: HTML });
      expect(answer.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode, url).toBeLessThan(500);
      for (const header of headers)
        expect(answer.headers[header], `${url} ${header}`).toBe(everyPage.headers[header]);
    }
    const page = await app.inject({ url: `/persone/${'x'.repeat(300)}`, headers: HTML });
    expect(page.statusCode).toBe(414);
    expect(page.body).toContain('Indirizzo non valido');
  });

  it('answers a browser with a 404 page in the layout, and an API client with JSON', async () => {
    const page = await app.inject({ url: '/non-esiste', headers: HTML });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Pagina non trovata');
    expect(page.body).toContain('href="/accessibilita"');
    const api = await app.inject({ url: '/api/v1/non-esiste', headers: HTML });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'non_trovato' });
  });
});
