/**
 * Persone in Debian's Chromium through the real stack, as the coordinator signed in: the list, a person's
 * page, the new-person form and the import (with a preview naming problems) pass axe-core with no serious
 * or critical violation on a desktop and a phone; with JavaScript off, a file with problems is previewed
 * and saves nothing, the fixed file is previewed, confirmed and saved, and importing it again changes
 * nothing; a bad address is refused next to its field; a placeholder is replaced from its page.
 *
 * The session is created in the database and handed to the browser as its cookie (the sign-in flow is
 * tested with the auth routes).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COORDINATORE } from '../support/auth';
import { auditOnDesktopAndPhone, expectScreenshot, seriousViolations, useSignedInBrowser } from './support';

let placeholderId: string;

const HEADER = 'Persona;E-mail;PEC;Organizzazione o comune;Seggio;Delegato permanente';
const GOOD = [
  'Mario Rossi;m.rossi@comune.pandino.cr.it;;Pandino;Sindaco di Pandino;a.bianchi@comune.pandino.cr.it',
  'Anna Bianchi;a.bianchi@comune.pandino.cr.it;;Comune di Pandino;;',
];
const BAD = [
  'Mario Rossi bis;m.rossi@comune.pandino.cr.it;;Pandino;;',
  'Giulia Neri;g.neri@example.com;;Pandinoo;;',
  ';vuoto@example.com;;Crema;;',
];
const csv = (lines: string[]) => Buffer.from('\uFEFF' + [HEADER, ...lines].join('\r\n') + '\r\n');

const world = useSignedInBrowser(COORDINATORE, async (db) => {
  placeholderId = (
    await db.prisma.person.findUniqueOrThrow({ where: { email: 'sindaco.sergnano@example.org' } })
  ).id;
});

async function uploadFile(page: Page, content: Buffer) {
  await page.goto(`${world.service.url}/persone/importa`);
  await page
    .getByLabel(/Foglio di calcolo/)
    .setInputFiles({ name: 'persone.csv', mimeType: 'text/csv', buffer: content });
  await page
    .getByRole('button', { name: 'Mostra l’anteprima' })
    .or(page.getByRole('button', { name: "Mostra l'anteprima" }))
    .click();
  await page.waitForLoadState();
}

const counts = async () => ({
  people: await world.db.prisma.person.count(),
  memberships: await world.db.prisma.membership.count(),
  audit: await world.db.prisma.auditEvent.count(),
});

describe('Persone pages', () => {
  it.each([
    ['persone', '/persone'],
    ['persone-ricerca', '/persone?q=pandino'],
    ['persona-segnaposto', '/persone/:segnaposto'],
    ['persona-nuova', '/persone/nuova'],
    ['persone-importa', '/persone/importa'],
  ])(
    '%s passes axe-core with no serious or critical violation, on a desktop and on a phone',
    async (name, path) => {
      const page = await world.withScripts.newPage();
      const url = world.service.url + path.replace(':segnaposto', placeholderId);
      const found = await auditOnDesktopAndPhone(page, url, world.shots, name);
      await page.close();
      expect(found).toEqual([]);
    },
  );

  // axe-core runs as a script in the page: it needs the context with JavaScript on.
  it('the preview of an import with problems passes axe-core too', async () => {
    const page = await world.withScripts.newPage();
    await uploadFile(page, csv([...GOOD, ...BAD]));
    expect(await page.locator('.problemi').count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('is in the navigation, for the Ufficio di Piano', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(world.service.url + '/');
    await page.locator('#navigazione').getByRole('link', { name: 'Persone' }).click();
    expect(await page.locator('h1').innerText()).toBe('Persone');
    expect(await page.locator('#navigazione a[aria-current="page"]').innerText()).toBe('Persone');
    await page.close();
  });
});

describe('the import, with JavaScript off', () => {
  it('previews a file with problems naming each, saves nothing; then saves the fixed file once', async () => {
    const page = await world.noScripts.newPage();
    const before = await counts();
    await uploadFile(page, csv([...GOOD, ...BAD]));
    expect(await page.getByRole('alert').first().innerText()).toContain('3 righe da correggere');
    expect(await page.locator('#riga-4 .problemi').innerText()).toContain(
      'e-mail ripetuta: è già alla riga 2',
    );
    expect(await page.locator('#riga-5 .problemi').innerText()).toContain('«Pandinoo»');
    expect(await page.locator('#riga-6 .problemi').innerText()).toContain('indicare nome e cognome');
    expect(await page.getByRole('button', { name: /Conferma/ }).count()).toBe(0);
    await expectScreenshot(world.shots, page, 'persone-importa-errori');
    expect(await counts()).toEqual(before);

    await uploadFile(page, csv(GOOD));
    expect(await page.getByRole('status').innerText()).toContain('2 righe: 2 persone nuove');
    expect(await page.locator('#riga-2').innerText()).toContain(
      'Sostituisce il segnaposto «Sindaco di Pandino (segnaposto)»',
    );
    expect(await counts()).toEqual(before);
    await expectScreenshot(world.shots, page, 'persone-importa-anteprima');
    await page
      .getByRole('button', { name: 'Conferma l’importazione' })
      .or(page.getByRole('button', { name: "Conferma l'importazione" }))
      .click();
    await page.waitForLoadState();
    expect(page.url()).toContain('/persone/importa?esito=fatto');
    expect(await page.getByRole('status').innerText()).toContain(
      '2 persone nuove, 0 aggiornate, 0 senza modifiche',
    );
    const rossi = await world.db.prisma.person.findUniqueOrThrow({
      where: { email: 'm.rossi@comune.pandino.cr.it' },
      include: { memberships: { include: { delegate: true } } },
    });
    expect(rossi.memberships.map((m) => m.delegate?.fullName)).toEqual(['Anna Bianchi', 'Anna Bianchi']);

    const after = await counts();
    await uploadFile(page, csv(GOOD));
    expect(await page.getByRole('status').innerText()).toContain(
      '0 persone nuove, 0 da aggiornare, 2 senza modifiche',
    );
    await page.getByRole('button', { name: /Conferma/ }).click();
    await page.waitForLoadState();
    expect(await counts()).toEqual(after);
    await page.close();
  });
});

describe('person forms, with JavaScript off', () => {
  it('refuses a bad address next to the field, keeping what was typed and changing nothing', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/persone/${placeholderId}`);
    const before = await world.db.prisma.person.findUniqueOrThrow({ where: { id: placeholderId } });
    const email = page.locator('#dati-email');
    await email.fill('sindaco@');
    await page.getByRole('button', { name: 'Salva le modifiche' }).click();
    await page.waitForLoadState();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.inputValue()).toBe('sindaco@');
    expect(await page.locator('#dati-email-errore').innerText()).toBe('indirizzo e-mail non valido');
    expect(await world.db.prisma.person.findUniqueOrThrow({ where: { id: placeholderId } })).toEqual(before);
    await expectScreenshot(world.shots, page, 'persona-errore');
    await page.close();
  });

  it('replaces a placeholder with the real person from its page', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/persone/${placeholderId}`);
    await page.locator('#sostituisci-nome').fill('Paola Gialli');
    await page.locator('#sostituisci-email').fill('sindaco@comune.sergnano.cr.it');
    await page.getByRole('button', { name: 'Sostituisci il segnaposto' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').innerText()).toBe('Paola Gialli');
    expect(await page.getByRole('status').innerText()).toContain('Segnaposto sostituito');
    expect(await page.locator('dl').innerText()).toContain(
      'Sindaco di Sergnano (Assemblea dei Sindaci, Assemblea del Sub-ambito 2)',
    );
    await expectScreenshot(world.shots, page, 'persona-sostituita');
    await page.close();
  });
});
