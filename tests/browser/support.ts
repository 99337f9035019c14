/**
 * What the browser tests share: Debian's Chromium driven by playwright-core, and the service wired as
 * `npm start` wires it (buildServer plus the notifications' routes, with the embedded mail catcher) on
 * loopback, so the browser talks real HTTP to the real pages.
 */
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { startNotifications } from '../../notifications';
import type { PrismaClient } from '../../prisma/client';
import { freePort } from '../../prisma/free-port';

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
