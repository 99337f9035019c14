/**
 * The Ufficio di Piano's screens in Debian's Chromium through the real stack, as the coordinator signed in:
 * every page of the navigation passes axe-core with no serious or critical violation (desktop and phone
 * screenshots are taken of each), and the forms work with JavaScript off: a bad value is refused next to its
 * field with what was typed kept, a preview changes nothing, a valid save redirects and shows it.
 *
 * The session is created in the database and handed to the browser as its cookie (the sign-in flow itself
 * is tested with the auth routes): what is tested here is the pages.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret } from '../../api/auth/secrets';
import { SESSION_COOKIE } from '../../api/auth/sessions';
import { seedCremasco } from '../../prisma/seed';
import { COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { PNG_SIGNATURE, launchChromium, screenshots, startService, type Service } from './support';

let db: TestDatabase;
let service: Service;
let browser: Browser;
let withScripts: BrowserContext;
let noScripts: BrowserContext;
let crId: string;
let deliverableId: string;
const shots = screenshots();

const PHONE = { width: 390, height: 844 };
/** The screens of the navigation and the pages they lead to (ids filled in once seeded). */
const PAGES = [
  ['oggi', '/'],
  ['calendario', '/calendario?anno=2027'],
  ['organi', '/organi'],
  ['organo', '/organi/:organo'],
  ['scadenze', '/scadenze'],
  ['scadenza', '/scadenze/:scadenza'],
  ['posta', '/posta'],
  ['accessibilita', '/accessibilita'],
] as const;
const DESKTOP = { width: 1280, height: 900 };

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCremasco(db.prisma);
  const coordinator = await db.prisma.person.findUniqueOrThrow({ where: { email: COORDINATORE } });
  crId = (await db.prisma.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } })).id;
  const ambito = await db.prisma.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } });
  const year = new Date().getUTCFullYear();
  deliverableId = (
    await db.prisma.deliverable.create({
      data: {
        ambitoId: ambito.id,
        kind: 'piano_operativo',
        referenceYear: year + 1,
        referencePeriod: String(year + 1),
        stage: 'udp_draft',
        ownerRole: 'Responsabile UdP',
        dueDate: new Date(`${year}-12-31T00:00:00Z`),
        escalationLevel: 1,
        events: { create: [{ kind: 'escalated', note: 'Livello 1: promemoria al responsabile' }] },
      },
    })
  ).id;
  const mayor = await db.prisma.person.findUniqueOrThrow({
    where: { email: 'sindaco.sergnano@example.org' },
  });
  await db.prisma.outboxMessage.create({
    data: {
      idempotencyKey: 'prova:posta-fallita',
      kind: 'convocation',
      recipientEmail: mayor.email!,
      recipientName: mayor.fullName,
      personId: mayor.id,
      subject: 'Convocazione Comitato Ristretto',
      textBody: 'x',
      htmlBody: '<p>x</p>',
      status: 'failed',
      attempts: 3,
      lastError: '550 5.1.1 casella inesistente',
      messageId: '<prova-posta-fallita@example.org>',
    },
  });
  service = await startService(db.prisma);
  const { secret, hash } = newSecret('session');
  await db.prisma.authSession.create({
    data: { tokenHash: hash, personId: coordinator.id, method: 'email_link' },
  });
  browser = await launchChromium();
  const cookie = { name: SESSION_COOKIE, value: secret, url: service.url };
  withScripts = await browser.newContext({ locale: 'it-IT', viewport: DESKTOP });
  noScripts = await browser.newContext({ locale: 'it-IT', viewport: DESKTOP, javaScriptEnabled: false });
  await withScripts.addCookies([cookie]);
  await noScripts.addCookies([cookie]);
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await db?.cleanup();
  shots.cleanup();
});

async function expectScreenshot(page: Page, name: string) {
  const png = await shots.take(page, name);
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(8_000);
}

describe('every page of the navigation', () => {
  // One test per page: each loads twice and runs axe twice, which takes seconds on a shared machine.
  it.each(PAGES)(
    '%s passes axe-core with no serious or critical violation, on a desktop and on a phone',
    async (name, path) => {
      const page = await withScripts.newPage();
      const found: string[] = [];
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['telefono', PHONE],
      ] as const) {
        await page.setViewportSize(viewport);
        const url = path.replace(':organo', crId).replace(':scadenza', deliverableId);
        const response = await page.goto(service.url + url);
        expect(response?.status(), url).toBe(200);
        const result = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .analyze();
        for (const v of result.violations)
          if (v.impact === 'serious' || v.impact === 'critical')
            found.push(`${size}: ${v.id} – ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        await expectScreenshot(page, `${name}-${size}`);
      }
      await page.close();
      expect(found).toEqual([]);
    },
  );

  it('reaches every screen from the navigation bar', async () => {
    const page = await noScripts.newPage();
    await page.goto(service.url + '/');
    const labels = await page.locator('#navigazione a').allInnerTexts();
    expect(labels).toEqual([
      'Oggi',
      'Calendario',
      'Organi',
      'Scadenze',
      'Posta',
      'Nuova seduta',
      'Presenze',
      'Monitoraggio',
      'Le mie riunioni',
      'Profilo',
    ]);
    await page.locator('#navigazione').getByRole('link', { name: 'Scadenze' }).click();
    expect(await page.locator('h1').innerText()).toMatch(/^Scadenze \d{4}$/);
    expect(await page.locator('#navigazione a[aria-current="page"]').innerText()).toBe('Scadenze');
  });
});

describe('forms with JavaScript off', () => {
  it('Organi: refuses a bad notice next to the field, previews the next sessions, then saves', async () => {
    const page = await noScripts.newPage();
    await page.goto(`${service.url}/organi/${crId}`);
    const before = (await db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules;
    const notice = page.getByLabel('Giorni liberi prima della seduta');
    await notice.fill('99');
    await page.getByRole('button', { name: 'Salva le regole' }).click();
    await page.waitForLoadState();
    expect(await notice.getAttribute('aria-invalid')).toBe('true');
    expect(await notice.inputValue()).toBe('99');
    expect(await page.locator('#regole-preavviso-errore').innerText()).not.toBe('');
    expect((await db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules).toEqual(before);
    await expectScreenshot(page, 'organo-errore');

    await notice.fill('6');
    await page.getByRole('button', { name: 'Anteprima delle prossime sedute' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toContain('Anteprima, non ancora salvata');
    expect((await db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules).toEqual(before);
    await expectScreenshot(page, 'organo-anteprima');

    await page.getByRole('button', { name: 'Salva le regole' }).click();
    await page.waitForLoadState();
    // The form's action ends in #regole: after the redirect the page opens at the form and its message.
    expect(page.url()).toBe(`${service.url}/organi/${crId}?esito=salvate#regole`);
    expect(await page.getByRole('status').innerText()).toContain('Regole aggiornate');
    expect(await db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).toMatchObject({
      rules: { notice: { ordinaryFreeDays: 6 } },
    });
  });

  it('Scadenze: refuses an extension without a reason, next to the field, keeping the date typed', async () => {
    const page = await noScripts.newPage();
    await page.goto(`${service.url}/scadenze/${deliverableId}`);
    const before = await db.prisma.deliverable.findUniqueOrThrow({ where: { id: deliverableId } });
    await page.getByLabel('Nuova scadenza').fill('2099-01-31');
    await page.getByRole('button', { name: 'Proroga la scadenza' }).click();
    await page.waitForLoadState();
    const reason = page.getByLabel('Motivo della proroga');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#proroga-reason-errore').innerText()).toContain('indicare il motivo');
    expect(await page.getByLabel('Nuova scadenza').inputValue()).toBe('2099-01-31');
    expect(await db.prisma.deliverable.findUniqueOrThrow({ where: { id: deliverableId } })).toEqual(before);
    await expectScreenshot(page, 'scadenza-errore');
  });
});

describe('plan warnings', () => {
  it('Organi: the preview warns, with deliverable and dates, of an Assemblea convened before its review', async () => {
    const page = await withScripts.newPage();
    await page.goto(`${service.url}/organi/${crId}`);
    const before = (await db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules;
    // The Comitato Ristretto on the third Wednesday: the day before the Assemblea, convened a week earlier.
    await page.getByLabel('Quale settimana del mese').selectOption('3');
    await page.getByLabel('Giorno', { exact: true }).selectOption('3');
    await page.getByRole('button', { name: 'Anteprima delle prossime sedute' }).click();
    await page.waitForLoadState();
    const warning = page.getByRole('alert').filter({ hasText: 'Con queste regole il piano avrebbe' });
    expect(await warning.innerText()).toMatch(
      /\(approvazione: Assemblea dei Sindaci, giovedì \d+ \S+ \d{4}\): la convocazione parte entro .+, prima dell'esame in Comitato Ristretto di mercoledì \d+ \S+ \d{4}\./,
    );
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect((await db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules).toEqual(before);
    await warning.scrollIntoViewIfNeeded();
    await expectScreenshot(page, 'organo-avviso');
  });
});
