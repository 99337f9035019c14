/**
 * The API reference page (/api/docs) in Debian's Chromium, signed in: it renders every operation, passes
 * axe-core with no serious or critical violation, and needs no script (a strict CSP holds).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, it } from 'vitest';
import { newSecret } from '../../api/auth/secrets';
import { SESSION_COOKIE } from '../../api/auth/sessions';
import { PNG_SIGNATURE, useBrowserService } from '../browser/support';
import { COORDINATORE } from '../support/auth';

const world = useBrowserService();

it('shows every operation, passes axe-core, works without JavaScript', async () => {
  const coordinator = await world.db.prisma.person.findUniqueOrThrow({ where: { email: COORDINATORE } });
  const { secret, hash } = newSecret('session');
  await world.db.prisma.authSession.create({
    data: { tokenHash: hash, personId: coordinator.id, method: 'email_link' },
  });
  const context = await world.browser.newContext({ locale: 'it-IT', javaScriptEnabled: false });
  await context.addCookies([{ name: SESSION_COOKIE, value: secret, url: world.service.url }]);
  const page = await context.newPage();
  const response = await page.goto(`${world.service.url}/api/docs`);
  expect(response?.status()).toBe(200);
  expect(await page.locator('h1').innerText()).toBe("Riferimento dell'API");
  const operations = await page.locator('article h3').allInnerTexts();
  expect(operations).toContain('POST /api/v1/meetings');
  expect(operations.length).toBeGreaterThan(15);
  const png = await world.shots.take(page, 'api-docs');
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);

  const withScripts = await world.browser.newContext({ locale: 'it-IT' });
  await withScripts.addCookies([{ name: SESSION_COOKIE, value: secret, url: world.service.url }]);
  const checked = await withScripts.newPage();
  await checked.goto(`${world.service.url}/api/docs`);
  const result = await new AxeBuilder({ page: checked })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
