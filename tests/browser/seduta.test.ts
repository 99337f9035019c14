/**
 * The coordinator runs an extra Comitato Ristretto session in Chromium with JavaScript off, through the real
 * stack (Postgres, the time-skipping Temporal server with the real worker, SMTP to a mail catcher shown at
 * /dev/mailbox): signs in by e-mail link, creates the session with two agenda items and a PDF, previews and
 * releases the convocation, a member answers from the link in the development mailbox and the answer shows
 * on the meeting page, the roll call (reached and sent with the keyboard alone) shows the quorum, the verbale
 * is uploaded and approved and its circulation reaches the mailbox. The Seduta page passes axe-core before
 * the convocation, after it and after the roll call, and reads on a phone.
 *
 * The service's PUBLIC_BASE_URL (http://localhost:3000, as the worker's links say) differs from the address
 * the browser opens (127.0.0.1): every redirect must stay on the address the browser is on, or a form whose
 * answer redirects elsewhere would break under the pages' `form-action 'self'`. Buttons are found by their
 * exact name: a file input's role is also "button" and its label («Allega un documento…») contains the
 * submit button's name, so a loose match clicks the file chooser and nothing is ever sent.
 */
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { answerPagesPlugin } from '../../notifications/answers/plugin';
import { devMailboxPlugin } from '../../notifications/catcher/plugin';
import { createOutbox } from '../../notifications/outbox/outbox';
import { freePort } from '../../prisma/free-port';
import { signInByEmail } from '../support/sign-in';
import { useDistrictStack } from '../workflows/harness';
import { launchChromium, PNG_SIGNATURE, screenshots } from './support';

const world = useDistrictStack('browser-seduta');
const shots = screenshots();
const PUBLIC_BASE_URL = 'http://localhost:3000';
let app: FastifyInstance;
let url: string;
let browser: Browser;
let context: BrowserContext;
let axeContext: BrowserContext;
let page: Page;
/** Every redirect the browser followed: where the service sent it. */
const redirects: string[] = [];
/** The session the first test creates; the second opens it on a phone. */
let meetingId = '';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// Tuesday 12 January 2027, 18:00-20:00 in Crema.
const DAY = '2027-01-12';

beforeAll(async () => {
  const { stack } = world;
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  app = await buildServer({
    db: stack.db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL }),
    governance: stack.gc,
    now: () => stack.env.currentTimeMs(),
    outbox: createOutbox({
      db: stack.db.prisma,
      mailer: stack.mailer,
      from: 'Ufficio di Piano <ufficio.piano@example.org>',
    }),
    cookieSecret: 'browser-seduta-cookie-secret',
    answering: stack.answering,
    plugins: [
      async (scope) => {
        // The answer page judges the link and the meeting's start in the story's time, as the server above
        // does: on the real clock the link expires with the 2027 session.
        await scope.register(answerPagesPlugin, {
          db: stack.db.prisma,
          answering: stack.answering,
          now: () => stack.env.currentTimeMs(),
        });
        await scope.register(devMailboxPlugin, { mailbox: stack.catcher.mailbox });
      },
    ],
  });
  await app.listen({ port, host: '127.0.0.1' });
  // The coordinator signs in by e-mail link; Chromium gets the cookies the sign-in left, as a browser keeps them.
  const signedIn = await signInByEmail(url, stack.catcher.mailbox, 'coordudp@example.org');
  const cookies = [...signedIn.cookies].map(([name, value]): Cookie => ({
    name,
    value,
    domain: '127.0.0.1',
    path: '/',
    expires: -1,
    httpOnly: true,
    secure: false,
    sameSite: 'Lax',
  }));
  browser = await launchChromium();
  context = await browser.newContext({ javaScriptEnabled: false, locale: 'it-IT' });
  // axe-core runs as a script: the same pages, opened again where JavaScript is on.
  axeContext = await browser.newContext({ locale: 'it-IT' });
  await context.addCookies(cookies);
  await axeContext.addCookies(cookies);
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('response', (response) => {
    const location = response.headers().location;
    if (location) redirects.push(location);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  shots.cleanup();
});

/** Presses the one button named exactly `name` and waits for the page the server answers with. */
async function clickAndLoad(name: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
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

/** A screenshot to look at (a real PNG of some size: a blank or failed render is not). */
async function snap(name: string, target: Page = page) {
  const png = await shots.take(target, name);
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(8_000);
}

/**
 * A screenshot, and axe-core on the same page with no serious or critical violation. `outside` leaves out
 * what it selects: a sandboxed frame where no script may run, which axe would wait for ever to enter.
 */
async function look(name: string, target: Page = page, outside?: string) {
  await snap(name, target);
  const checked = await axeContext.newPage();
  await checked.goto(target.url());
  const builder = new AxeBuilder({ page: checked });
  if (outside) builder.exclude(outside);
  const axe = await builder.analyze();
  await checked.close();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * The Seduta page on a 375 px phone, as it is now: a screenshot, axe-core, and nothing wider than the screen
 * (the page scrolls vertically only; wide tables scroll inside their own box).
 */
async function onPhone(name: string) {
  const phone = await browser.newContext({
    javaScriptEnabled: false,
    locale: 'it-IT',
    viewport: { width: 375, height: 800 },
  });
  await phone.addCookies(await context.cookies());
  const small = await phone.newPage();
  await small.goto(`${url}/sedute/${meetingId}`);
  await look(name, small);
  const wider = await small.evaluate<string[]>(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > 376 && !e.parentElement.closest('.table-responsive'))
    .map((e) => e.tagName + '#' + e.id + '.' + [...e.classList].join('.'))`);
  expect(wider).toEqual([]);
  expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  await phone.close();
}

/** The path of a link the worker wrote for PUBLIC_BASE_URL, on this test's server. */
const here = (link: string) => `${url}${new URL(link).pathname}${new URL(link).search}`;

it('creates, convenes, answers, records and closes an extra Comitato Ristretto session', async () => {
  const db = world.stack.db.prisma;
  const p = world.district.people;
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
  meetingId = /\/sedute\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  expect(await page.getByRole('status').first().innerText()).toContain('Seduta creata');
  expect(await page.locator('#odg li h3').allInnerTexts()).toEqual([
    '1. Piano Operativo 2028: linee di indirizzo',
    '2. Report annuale 2026',
  ]);

  // A PDF on the first item.
  await page.getByLabel('Allega un documento al punto 1', { exact: false }).setInputFiles({
    name: 'Linee di indirizzo PO 2028.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await clickAndLoad('Allega al punto 1');
  expect(await page.locator('#odg').innerText()).toContain('Linee di indirizzo PO 2028.pdf');
  expect(await db.document.count({ where: { agendaItem: { meetingId } } })).toBe(1);
  await look('seduta-prima-della-convocazione');

  // Preview, then release.
  await page.getByRole('link', { name: 'Anteprima della convocazione' }).click();
  expect(await page.locator('main').innerText()).toContain('Convocazione Comitato Ristretto');
  // The e-mail itself shows in a sandboxed frame (no script runs there): axe checks the page around it, and
  // the frame has its title.
  await look('seduta-anteprima', page, 'iframe');
  expect(await page.locator('iframe').getAttribute('title')).toBe('Anteprima del messaggio HTML');
  await clickAndLoad('Invia ora la convocazione');
  await reloadUntil('Inviata il');
  expect((await db.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status).toBe('convened');
  await look('seduta-convocata');
  await onPhone('seduta-convocata-telefono');

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
  await reloadUntil(/Sindaco Capofila 1\s+Sarà presente/);

  // The session starts: the roll call, pre-filled from the seats and answers, filled in and sent by keyboard.
  await world.stack.skipPast(`${DAY}T18:05:00+01:00`);
  await page.reload();
  await page.locator(`#stato-${p.sindaco2}`).focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe(
    `delegato-${p.sindaco2}`,
  );
  await page.locator(`#stato-${p.sindaco2}`).selectOption('delegate');
  await page.locator(`#delegato-${p.sindaco2}`).fill('Giulia Bianchi');
  await page.locator(`#stato-${p.coordcr}`).selectOption('present');
  await page.locator(`#arrivo-${p.coordcr}`).fill('18:20');
  // From the last field of the table, Tab reaches «Registra l'appello»; Enter sends the form.
  // (a time field takes one Tab per part: hours, minutes).
  await page.locator('#appello tbody tr').last().locator('input[type=time]').focus();
  const focused = () => page.evaluate<string | undefined>('document.activeElement?.textContent');
  for (let i = 0; i < 5 && (await focused()) !== 'Registra l’appello'; i++) await page.keyboard.press('Tab');
  expect(await focused()).toBe('Registra l’appello');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  // The page shows the quorum of the answers until the workflow applies the roll call («si aggiorna appena il
  // processo lo applica»): 2 of 3 already reach it, so wait for the roll call's own figure.
  const quorum = await reloadUntil('3 seggi su 3 presenti o validamente rappresentati; ne servono 2');
  expect(quorum).toContain('quorum raggiunto');
  const rows = await db.attendance.findMany({ where: { meetingId }, orderBy: { personId: 'asc' } });
  expect(rows.find((r) => r.personId === p.sindaco2)?.status).toBe('delegate');
  expect(rows.find((r) => r.personId === p.coordcr)?.status).toBe('present');
  await look('seduta-appello');
  await onPhone('seduta-appello-telefono');

  // After the session: upload and approve the verbale; its circulation reaches the mailbox.
  await world.stack.skipPast(`${DAY}T20:00:00+01:00`);
  await page.reload();
  await page
    .getByLabel(/Carica il verbale/)
    .setInputFiles({ name: 'Verbale CR 12-01-2027.pdf', mimeType: 'application/pdf', buffer: PDF });
  await clickAndLoad('Carica');
  await clickAndLoad('Approva il verbale e invialo ai componenti');
  await reloadUntil(/approvato il/);
  await expect
    .poll(
      () =>
        db.outboxMessage.count({
          where: { kind: 'minutesCirculation', status: 'sent', idempotencyKey: { contains: meetingId } },
        }),
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(3);
  await page.goto(`${url}/dev/mailbox`);
  expect(await page.locator('body').innerText()).toMatch(/Verbale – Comitato Ristretto/);
  await page.goto(`${url}/sedute/${meetingId}`);
  expect(await page.locator('#storia').innerText()).toMatch(/Trasmissione del verbale.*\n?.*inviato/);
  // Dates in the details read as on the rest of the page, not as stored.
  expect(await page.locator('#storia').innerText()).toMatch(
    /Seduta creata\s+martedì 12 gennaio 2027, ore 18:00/,
  );
  // The history names who acted, not their identifier.
  expect(await page.locator('#storia').innerText()).toContain('Coordinatore UdP');
  expect(await page.locator('#storia').innerText()).not.toContain('person:');
  await look('seduta-verbale');

  // Every redirect kept the browser where it was (relative), whatever PUBLIC_BASE_URL says.
  expect(redirects.length).toBeGreaterThan(5);
  expect(redirects.filter((location) => !location.startsWith('/'))).toEqual([]);
}, 240_000);

it('reads on a phone once closed: nothing wider than the screen on the Seduta page', async () => {
  expect(meetingId).not.toBe('');
  await onPhone('seduta-telefono');
}, 60_000);
