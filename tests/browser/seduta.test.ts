/**
 * The coordinator runs an extra Comitato Ristretto session in Chromium with JavaScript off, through the real
 * stack (Postgres, the time-skipping Temporal server with the real worker, SMTP to a mail catcher shown at
 * /dev/mailbox): creates it with two agenda items and a PDF, previews and releases the convocation, a member
 * answers from the link in the development mailbox and the answer shows on the meeting page, the roll call
 * shows the quorum, the verbale is uploaded and approved and its circulation reaches the mailbox. Every page
 * passes axe-core with no serious or critical violation.
 *
 * The worker's messages carry links to http://localhost:3000 (the harness's PUBLIC_BASE_URL); the test
 * follows their path on the server it started, which serves the same routes.
 */
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { answerPagesPlugin } from '../../notifications/answers/plugin';
import { devMailboxPlugin } from '../../notifications/catcher/plugin';
import { freePort } from '../../prisma/free-port';
import { signalMeeting } from '../../workflows/client';
import { actAs } from '../support/auth';
import { useDistrictStack } from '../workflows/harness';
import { launchChromium, PNG_SIGNATURE, screenshots } from './support';

const world = useDistrictStack('browser-seduta');
const shots = screenshots();
let app: FastifyInstance;
let url: string;
let browser: Browser;
let context: BrowserContext;
let axeContext: BrowserContext;
let page: Page;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// Tuesday 12 January 2027, 18:00-20:00 in Crema.
const DAY = '2027-01-12';

beforeAll(async () => {
  const { stack } = world;
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  app = await buildServer({
    db: stack.db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: url }),
    governance: stack.gc,
    now: () => stack.env.currentTimeMs(),
    plugins: [
      async (scope) => {
        await scope.register(answerPagesPlugin, {
          db: stack.db.prisma,
          onAnswer: ({ meetingId, personId, answer }) =>
            signalMeeting(stack.gc, meetingId, 'answer', { personId, answer }),
        });
        await scope.register(devMailboxPlugin, { mailbox: stack.catcher.mailbox });
      },
    ],
  });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  context = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'it-IT',
    extraHTTPHeaders: await actAs(stack.db.prisma, 'coordudp@example.org'),
  });
  axeContext = await browser.newContext({
    locale: 'it-IT',
    extraHTTPHeaders: await actAs(stack.db.prisma, 'coordudp@example.org'),
  });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  shots.cleanup();
});

/** Clicks and waits for the page the server answers with (a POST then its redirect). */
async function clickAndLoad(name: RegExp | string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).first().click()]);
}

/** Reloads until the page says `text` (the workflow applies changes within moments; bounded). */
async function reloadUntil(text: string | RegExp) {
  for (let i = 0; i < 60; i++) {
    const body = await page.locator('body').innerText();
    if (typeof text === 'string' ? body.includes(text) : text.test(body)) return body;
    await new Promise((r) => setTimeout(r, 250));
    await page.reload();
  }
  throw new Error(`La pagina non mostra «${text}»: ${await page.locator('main').innerText()}`);
}

async function look(name: string) {
  const png = await shots.take(page, name);
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(8_000);
  // axe-core runs as a script: the same page, opened again where JavaScript is on.
  const checked = await axeContext.newPage();
  await checked.goto(page.url());
  const axe = await new AxeBuilder({ page: checked }).analyze();
  await checked.close();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The path of a link the worker wrote for http://localhost:3000, on this test's server. */
const here = (link: string) => `${url}${new URL(link).pathname}${new URL(link).search}`;

it('creates, convenes, answers, records and closes an extra Comitato Ristretto session', async () => {
  const db = world.stack.db.prisma;
  await page.goto(`${url}/sedute/nuova`);
  await page.getByLabel('Organo').selectOption({ label: 'Comitato Ristretto' });
  await page.getByLabel('Giorno', { exact: true }).fill(DAY);
  await page.getByLabel('Inizio', { exact: true }).fill('18:00');
  await page.getByLabel('Fine', { exact: true }).fill('20:00');
  await page.getByLabel('Luogo', { exact: true }).fill('Sala Giunta, Comune di Crema, Piazza Duomo 25');
  await page
    .getByLabel(/Ordine del giorno/)
    .fill('Piano Operativo 2028: linee di indirizzo\nReport annuale 2026');
  await look('seduta-nuova');
  await clickAndLoad('Crea la seduta');
  const meetingId = /\/sedute\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  expect(await page.getByRole('status').first().innerText()).toContain('Seduta creata');

  // A PDF on the first item.
  await page.getByLabel(/Allega un documento al punto 1/).setInputFiles({
    name: 'Linee di indirizzo PO 2028.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await clickAndLoad('Allega');
  expect(await page.locator('#odg').innerText()).toContain('Linee di indirizzo PO 2028.pdf');

  // Preview, then release.
  await page.getByRole('link', { name: 'Anteprima della convocazione' }).click();
  const preview = await page.locator('main').innerText();
  expect(preview).toContain('Convocazione Comitato Ristretto');
  await look('seduta-anteprima');
  await clickAndLoad('Invia ora la convocazione');
  await reloadUntil('Inviata il');
  expect((await db.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status).toBe('convened');

  // A member answers from the link in the development mailbox.
  await page.goto(`${url}/dev/mailbox`);
  await page
    .getByRole('row', { name: /sindaco1@example\.org.*Convocazione Comitato Ristretto/ })
    .getByRole('link')
    .click();
  const link = /https?:\/\/\S+\/risposta\/[A-Za-z0-9_-]+\?[^\s"<]*/
    .exec(await page.content())![0]!
    .replaceAll('&amp;', '&');
  const member = await browser.newContext({ javaScriptEnabled: false });
  const memberPage = await member.newPage();
  await memberPage.goto(here(link));
  await memberPage.getByRole('radio', { name: /Sarò presente/ }).check();
  await Promise.all([
    memberPage.waitForNavigation(),
    memberPage.getByRole('button', { name: /Invia la risposta/ }).click(),
  ]);
  expect(await memberPage.getByRole('status').innerText()).toContain('Sarò presente');
  await member.close();
  await page.goto(`${url}/sedute/${meetingId}`);
  expect(await page.locator('#risposte').innerText()).toMatch(/Sindaco Capofila 1\s+Sarà presente/);

  // The session starts: the roll call, pre-filled from the seats and answers.
  await world.stack.skipPast(`${DAY}T18:05:00+01:00`);
  await page.reload();
  const p = world.district.people;
  await page.locator(`#stato-${p.sindaco2}`).selectOption('delegate');
  await page.locator(`#delegato-${p.sindaco2}`).fill('Giulia Bianchi');
  await page.locator(`#arrivo-${p.coordcr}`).fill('18:20');
  await page.locator(`#stato-${p.coordcr}`).selectOption('present');
  await clickAndLoad('Registra l’appello');
  const quorum = await reloadUntil('quorum raggiunto');
  expect(quorum).toContain('3 seggi su 3 presenti o validamente rappresentati; ne servono 2');
  await look('seduta-appello');

  // After the session: upload and approve the verbale; its circulation reaches the mailbox.
  await world.stack.skipPast(`${DAY}T20:00:00+01:00`);
  await page.reload();
  await page
    .getByLabel(/Carica il verbale/)
    .setInputFiles({ name: 'Verbale CR 12-01-2027.pdf', mimeType: 'application/pdf', buffer: PDF });
  await clickAndLoad('Carica');
  await clickAndLoad(/Approva il verbale/);
  await reloadUntil(/approvato il/);
  for (let i = 0; i < 60; i++) {
    if (
      (await db.outboxMessage.count({
        where: { kind: 'minutesCirculation', status: 'sent', idempotencyKey: { contains: meetingId } },
      })) >= 3
    )
      break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.goto(`${url}/dev/mailbox`);
  expect(await page.locator('body').innerText()).toMatch(/Verbale – Comitato Ristretto/);
  await page.goto(`${url}/sedute/${meetingId}`);
  expect(await page.locator('#storia').innerText()).toMatch(/minutesCirculation.*\n?.*inviato/);
  await look('seduta-verbale');
}, 240_000);
