/**
 * `npm run screenshots`: pictures of every screen for docs/pages.md, taken from the real app. Starts the
 * service as `npm start` runs it (tests/support/service.ts: a fresh DATA_DIR, embedded Postgres with the
 * seed, the offline Temporal server, the development mailbox), signs in as the Ufficio di Piano's
 * coordinator by e-mail link, opens every entry of the navigation bar (read from the page, so new screens
 * are included without editing this file), one body's page and one Seduta page, and writes docs/screenshots/<screen>-desktop.png
 * (1280 px wide, whole page) and <screen>-telefono.png for Oggi and the Seduta page (375 px).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { Mailbox } from '../../notifications/catcher/mailbox';
import { freePort } from '../../prisma/free-port';
import { launchChromium } from '../../tests/browser/support';
import { isolatedEnv, ROOT, startService } from '../../tests/support/service';
import { signInByEmail } from '../../tests/support/sign-in';

const OUT = join(ROOT, 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 800 };
const COORDINATOR = 'coordinatore-udp@example.org';

/** "/" is Oggi; "/sedute/nuova" becomes "sedute-nuova". */
const slug = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'screenshots-'));
  const service = await startService(
    isolatedEnv({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      EMBEDDED_TEMPORAL_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(await freePort()),
      TEMPORAL_DEV_SERVER_DOWNLOAD: 'false',
      LOG_LEVEL: 'warn',
    }),
  );
  const browser = await launchChromium();
  try {
    const folder = join(dataDir, 'mailbox');
    const signedIn = await signInByEmail(
      service.url,
      {
        list: () => new Mailbox(folder).list(),
        source: (id) => new Mailbox(folder).source(id),
      },
      COORDINATOR,
    );
    const host = new URL(service.url).hostname;
    const context = await browser.newContext({ locale: 'it-IT', javaScriptEnabled: false });
    await context.addCookies(
      [...signedIn.cookies].map(([name, value]) => ({
        name,
        value,
        domain: host,
        path: '/',
        httpOnly: true,
      })),
    );
    mkdirSync(OUT, { recursive: true });
    const written: string[] = [];
    const shoot = async (ctx: BrowserContext, path: string, file: string, viewport = DESKTOP) => {
      const page = await ctx.newPage();
      await page.setViewportSize(viewport);
      const response = await page.goto(service.url + path);
      if (response?.status() !== 200) throw new Error(`${path}: ${response?.status()}`);
      await page.screenshot({ path: join(OUT, file), fullPage: true });
      written.push(`${file} ← ${path}`);
      const html = await page.content();
      await page.close();
      return html;
    };

    const home = await context.newPage();
    await home.goto(`${service.url}/`);
    const entries = await home
      .locator('#navigazione a')
      .evaluateAll((links) => links.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
    await home.close();
    const html = new Map<string, string>();
    for (const [label, href] of entries)
      html.set(href, await shoot(context, href, `${slug(label)}-desktop.png`));
    await shoot(context, '/', 'oggi-telefono.png', PHONE);

    // A body's page (rules, seats and segreteria): the first one Organi lists.
    const bodyId = /\/organi\/([0-9a-f-]{36})/.exec(html.get('/organi') ?? '')?.[1];
    if (!bodyId) throw new Error('Nessun organo nella pagina Organi');
    await shoot(context, `/organi/${bodyId}`, 'organo-desktop.png');
    // A Seduta page: the first session the calendar links to.
    const meetingId = /\/(?:sedute|riunioni)\/([0-9a-f-]{36})/.exec(html.get('/calendario') ?? '')?.[1];
    if (!meetingId) throw new Error('Nessuna seduta nel calendario');
    await shoot(context, `/sedute/${meetingId}`, 'seduta-desktop.png');
    await shoot(context, `/sedute/${meetingId}`, 'seduta-telefono.png', PHONE);
    console.log(`Schermate in ${OUT}:\n  ${written.join('\n  ')}`);
  } finally {
    await browser.close();
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
