/**
 * The report pages in Chromium: ATS opens the Presenze of the Cabina di Regia (every Cabina it convenes in
 * one list), sees the chart and the tables, and downloads the CSV, the XLSX and the PDF; the Ufficio di Piano
 * opens the year's monitoring. Each page has no serious or critical axe-core violation.
 */
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { freePort } from '../../prisma/free-port';
import { readCsv, readPdfText, readXlsx } from '../../reports/exports/read-back';
import { createAttendanceFixture, type AttendanceFixture } from '../../reports/fixture';
import { actAs } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { launchChromium, screenshots } from './support';

describe('Presenze and Monitoraggio pages in Chromium', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let url: string;
  let here: AttendanceFixture;
  const shots = screenshots();

  async function pageAs(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      extraHTTPHeaders: await actAs(db.prisma, email),
      acceptDownloads: true,
    });
    return { context, page: await context.newPage() };
  }
  async function seriousViolations(page: Page) {
    // This page's own content; the layout's header and footer are checked by the layout's tests.
    const result = await new AxeBuilder({ page }).include('main').analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    return bad.map((v) => v.id);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    here = await createAttendanceFixture(db.prisma, 'r');
    // The other ambito whose Cabina di Regia the same ATS convenes.
    await createAttendanceFixture(db.prisma, 'x', here.atsOrganisationId);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = await buildServer({
      db: db.prisma,
      config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: url }),
    });
    await db.prisma.ufficioDiPianoMember.create({
      data: { ambitoId: here.ambitoId, personId: here.people.bruno.id },
    });
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.cleanup();
    shots.cleanup();
  });

  it('ATS: the Cabina di Regia of every ambito in one list, chart and tables, three files', async () => {
    const { context, page } = await pageAs(here.people.fabio.email);
    await page.goto(`${url}/presenze?from=2027-01-01&to=2027-12-31&body=${here.bodyId}`);
    const options = await page.locator('#organo option').allInnerTexts();
    expect(options).toEqual([
      'Cabina di Regia Integrata – Ambito delle presenze r',
      'Cabina di Regia Integrata – Ambito delle presenze x',
    ]);
    expect(await page.locator('svg[role="img"] rect').count()).toBeGreaterThan(3);
    const row = page.locator('table').first().locator('tr', { hasText: 'Comunità Sociale Cremasca (r)' });
    expect((await row.innerText()).split('\t')).toEqual([
      'Comunità Sociale Cremasca (r)',
      '4',
      '2',
      '0',
      '0',
      '2',
      '50%',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await shots.take(page, 'presenze');

    const download = async (label: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: label }).click(),
      ]);
      return readFileSync((await file.path())!);
    };
    expect(readCsv(await download('CSV'))).toContainEqual([
      'ATS Val Padana (r)',
      '8',
      '5',
      '1',
      '1',
      '1',
      '75%',
    ]);
    expect((await readXlsx(await download('Excel (XLSX)')))['Per persona']).toContainEqual([
      'Elena Marè',
      'ATS Val Padana (r)',
      4,
      2,
      1,
      1,
      0,
      0.75,
    ]);
    expect(await readPdfText(await download('PDF'))).toContain('Assessora Gioia Lucà');
    await context.close();
  });

  it('ATS: the Cabina di Regia of both ambiti in one Calendario, on a desktop and a phone', async () => {
    const { context, page } = await pageAs(here.people.fabio.email);
    await page.goto(`${url}/calendario?anno=2038`);
    expect(await page.locator('#navigazione a[aria-current="page"]').innerText()).toBe('Calendario');
    const sessions = await page.locator('li.mb-3').allInnerTexts();
    expect(sessions).toHaveLength(8);
    expect(sessions.filter((s) => s.includes('Ambito delle presenze x'))).toHaveLength(4);
    expect(await seriousViolations(page)).toEqual([]);
    await shots.take(page, 'calendario-ats');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/calendario?anno=2038&vista=mese&m=3`);
    expect(await page.locator('.calendario-griglia .small.mt-1').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await shots.take(page, 'calendario-ats-telefono');
    await context.close();
  });

  it('a mayor sets English as the language of their e-mails on the profile page', async () => {
    const mayor = await db.prisma.person.create({
      data: { fullName: 'Sindaca Rosa Lucà', email: 'sindaca.profilo@example.org' },
    });
    const { context, page } = await pageAs(mayor.email);
    await page.goto(`${url}/profilo`);
    // bootstrap-italia draws the radio on the label and hides the input itself.
    await page.getByLabel('English (inglese)').check({ force: true });
    expect(await page.getByLabel('English (inglese)').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.waitForURL(`${url}/profilo?salvato=1`);
    expect(await page.getByRole('status').innerText()).toBe('Profilo salvato.');
    expect(await page.getByLabel('English (inglese)').isChecked()).toBe(true);
    expect((await db.prisma.person.findUniqueOrThrow({ where: { id: mayor.id } })).language).toBe('en');
    expect(await seriousViolations(page)).toEqual([]);
    await shots.take(page, 'profilo');
    await context.close();
  });

  it("the Ufficio di Piano: the year's monitoring", async () => {
    const { context, page } = await pageAs(here.people.bruno.email);
    await page.goto(`${url}/monitoraggio?year=2027&ambito=presenze-r`);
    expect(await page.locator('h1').innerText()).toBe("Monitoraggio dell'anno 2027");
    const row = page.locator('tr', { hasText: 'Cabina di Regia Integrata' });
    expect((await row.innerText()).split('\t').slice(0, 4)).toEqual([
      'Cabina di Regia Integrata',
      '3',
      '5',
      '1',
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await shots.take(page, 'monitoraggio');
    await context.close();
  });
});
