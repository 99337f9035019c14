/**
 * A person signs in as a newcomer would, in Debian's Chromium with JavaScript off: the home page sends them to
 * the sign-in page, the link arrives in the development mailbox (which warns that whoever opens it can sign
 * in as anyone), the link's page asks for one press of «Accedi», the home page greets them by name, and
 * «Esci» ends the session.
 */
import { expect, it } from 'vitest';
import { useBrowserService } from './support';

const world = useBrowserService();

it('signs the coordinator in by e-mail link from the development mailbox, greets them by name, and signs out', async () => {
  const context = await world.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${world.service.url}/`);
  expect(new URL(page.url()).pathname).toBe('/accesso');
  await world.shots.take(page, 'accesso');
  await page.getByLabel('Indirizzo e-mail').fill('coordinatore-udp@example.org');
  await page.getByRole('button', { name: 'Inviami il collegamento' }).click();
  await expect.poll(() => page.locator('h1').innerText()).toBe('Controlli la posta');

  await page.getByRole('link', { name: 'Apri la casella di sviluppo' }).click();
  expect(await page.locator('.banner').first().innerText()).toContain(
    'può entrare nel servizio come qualunque persona',
  );
  await page
    .getByRole('link', { name: /Accesso al calendario della governance/ })
    .first()
    .click();
  const text = await page.locator('pre').first().innerText();
  const link = /https?:\/\/\S+\/accesso\/link\/\S+/.exec(text)![0];

  await page.goto(link);
  expect(await page.locator('h1').innerText()).toBe("Conferma l'accesso");
  await world.shots.take(page, 'conferma');
  await page.getByRole('button', { name: 'Accedi' }).click();
  expect(new URL(page.url()).pathname).toBe('/');
  expect(await page.locator('.persona-collegata').innerText()).toBe(
    "Coordinatore dell'Ufficio di Piano (segnaposto)",
  );
  await world.shots.take(page, 'oggi-dopo-accesso');

  await page.getByRole('button', { name: 'Esci' }).click();
  expect(new URL(page.url()).pathname).toBe('/accesso');
  expect(await page.getByRole('status').innerText()).toContain('È uscito');
  await page.goto(`${world.service.url}/`);
  expect(new URL(page.url()).pathname).toBe('/accesso');
  await context.close();
});
