/**
 * What the browser tests share: Debian's Chromium driven by playwright-core, and the service wired as
 * `npm start` wires it (buildServer plus the notifications' routes, with the embedded mail catcher) on
 * loopback, so the browser talks real HTTP to the real pages.
 */
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { newSecret } from '../../api/auth/secrets';
import { SESSION_COOKIE } from '../../api/auth/sessions';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { startNotifications } from '../../notifications';
import type { PrismaClient } from '../../prisma/client';
import { freePort } from '../../prisma/free-port';
import { seedCremasco } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';

export const CHROMIUM = '/usr/bin/chromium';

/** One Tuesday evening far enough ahead that answer links stay open whenever the suite runs. */
export const MEETING = {
  plannedDateKey: '2037-03-03',
  startsAt: new Date('2037-03-03T17:00:00Z'),
  endsAt: new Date('2037-03-03T19:00:00Z'),
  place: 'Sala degli Ostaggi, Palazzo Comunale, Piazza Duomo 25, Crema',
};
/** How a mayor reads MEETING.startsAt (Europe/Rome). */
export const MEETING_WHEN = 'martedì 3 marzo 2037, ore 18:00';

/**
 * Fails loudly instead of skipping: a suite that silently skips its browser tests would pass on a machine
 * where the pages were never opened.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium non trovato in ${CHROMIUM}: eseguire "sudo tests/browser/ensure-chromium.sh" prima di npm test / ` +
        `Chromium is missing at ${CHROMIUM}: run "sudo tests/browser/ensure-chromium.sh" before npm test`,
    );
  }
  // launch() (not launchPersistentContext) gives every run a fresh temporary profile, removed on close.
  // The flags keep Chromium off the network (no updates, sync or QUIC probes) and runnable as root in CI.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Service {
  url: string;
  notifications: Awaited<ReturnType<typeof startNotifications>>;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The HTTP server as npm start wires it (sign-in mail through the outbox, answer pages, /dev/mailbox), on a free loopback port. */
export async function startService(db: PrismaClient): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), 'browser-service-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: url,
    DATA_DIR: dataDir,
    MAIL_CATCHER_PORT: String(await freePort()),
  });
  const notifications = await startNotifications({ config, db, pumpIntervalMs: 0 });
  const app = await buildServer({
    db,
    config,
    plugins: [async (scope) => notifications.registerRoutes(scope)],
    outbox: notifications.outbox,
    answering: notifications.answering,
    cookieSecret: notifications.cookieSecret,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    notifications,
    app,
    async close() {
      await app.close();
      await notifications.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Screenshots for a person to look at: kept in BROWSER_SCREENSHOT_DIR when it is set, otherwise written to a
 * temporary folder removed at the end. Each must be a real PNG of some size: a blank or failed render is not.
 */
export function screenshots() {
  const keep = process.env.BROWSER_SCREENSHOT_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'browser-screens-'));
  return {
    dir,
    async take(page: Page, name: string): Promise<Buffer> {
      const path = join(dir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return readFileSync(path);
    },
    cleanup() {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface BrowserService {
  db: TestDatabase;
  service: Service;
  browser: Browser;
  shots: ReturnType<typeof screenshots>;
}

/**
 * What a browser test of the pages starts from, set up before the file's tests and closed after them: the
 * Cremasco seeded in a database of its own (then `prepare`, for the file's own data), the service on it, and
 * Chromium. Its fields are there from the file's first test on, and in the file's own beforeAll hooks.
 */
export function useBrowserService(prepare?: (db: TestDatabase) => Promise<void>): BrowserService {
  const world = { shots: screenshots() } as BrowserService;
  beforeAll(async () => {
    world.db = await createTestDatabase();
    await seedCremasco(world.db.prisma);
    await prepare?.(world.db);
    world.service = await startService(world.db.prisma);
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.service?.close();
    await world.db?.cleanup();
    world.shots.cleanup();
  });
  return world;
}

export interface SignedInBrowser extends BrowserService {
  /** For axe-core, which runs as a script in the page. */
  withScripts: BrowserContext;
  /** For the forms: every page must work without JavaScript. */
  noScripts: BrowserContext;
}

/** useBrowserService, with two browser contexts signed in as `email` (signedInContexts). */
export function useSignedInBrowser(
  email: string,
  prepare?: (db: TestDatabase) => Promise<void>,
): SignedInBrowser {
  const world = useBrowserService(prepare) as SignedInBrowser;
  beforeAll(async () => {
    const person = await world.db.prisma.person.findUniqueOrThrow({ where: { email } });
    const contexts = await signedInContexts(
      world.browser,
      world.db.prisma,
      person.id,
      world.service.url,
      DESKTOP,
    );
    Object.assign(world, contexts);
  });
  return world;
}

/**
 * Two browser contexts signed in as the person, one with JavaScript and one without: the session is created
 * in the database and handed to the browser as its cookie (the sign-in flow itself is tested with the auth
 * routes). A missing element fails within seconds, naming it, rather than at the test's timeout.
 */
export async function signedInContexts(
  browser: Browser,
  db: PrismaClient,
  personId: string,
  url: string,
  viewport: { width: number; height: number },
): Promise<{ withScripts: BrowserContext; noScripts: BrowserContext }> {
  const { secret, hash } = newSecret('session');
  await db.authSession.create({ data: { tokenHash: hash, personId, method: 'email_link' } });
  const cookie = { name: SESSION_COOKIE, value: secret, url };
  const withScripts = await browser.newContext({ locale: 'it-IT', viewport });
  const noScripts = await browser.newContext({ locale: 'it-IT', viewport, javaScriptEnabled: false });
  for (const context of [withScripts, noScripts]) {
    context.setDefaultTimeout(15_000);
    await context.addCookies([cookie]);
  }
  return { withScripts, noScripts };
}

/**
 * The serious and critical axe-core violations (WCAG 2.1 A/AA) of the page as it is now. axe runs as a
 * script in the page: call it on a context with JavaScript on.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} – ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Opens `url` on a desktop and on a phone (it must answer `status`, 200 unless an error page is meant),
 * takes a screenshot of each (`name-desktop`, `name-telefono`) and returns the serious and critical axe-core
 * violations found, each prefixed with the size: the check every page of the app passes. `page` must belong
 * to a context with JavaScript on.
 */
export async function auditOnDesktopAndPhone(
  page: Page,
  url: string,
  shots: ReturnType<typeof screenshots>,
  name: string,
  status = 200,
): Promise<string[]> {
  const found: string[] = [];
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['telefono', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(status);
    found.push(...(await seriousViolations(page)).map((v) => `${size}: ${v}`));
    await expectScreenshot(shots, page, `${name}-${size}`);
  }
  return found;
}

/** Takes a screenshot and checks it is a real PNG of some size (a blank or failed render is not). */
export async function expectScreenshot(
  shots: ReturnType<typeof screenshots>,
  page: Page,
  name: string,
): Promise<void> {
  const png = await shots.take(page, name);
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(8_000);
}
