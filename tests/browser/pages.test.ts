/**
 * The Ufficio di Piano's screens in Debian's Chromium through the real stack, as the coordinator signed in:
 * every page of the navigation passes axe-core with no serious or critical violation (desktop and phone
 * screenshots are taken of each), and the forms work with JavaScript off: a bad value is refused next to its
 * field with what was typed kept, a preview changes nothing, a valid save redirects and shows it.
 *
 * The session is created in the database and handed to the browser as its cookie (the sign-in flow itself
 * is tested with the auth routes): what is tested here is the pages.
 */
import { describe, expect, it } from 'vitest';
import { romeNow } from '../../domain/index';
import { COORDINATORE } from '../support/auth';
import {
  auditOnDesktopAndPhone,
  expectScreenshot,
  PHONE,
  seriousViolations,
  useSignedInBrowser,
} from './support';

let crId: string;
let deliverableId: string;

/** The screens of the navigation and the pages they lead to (ids filled in once seeded). */
const PAGES = [
  ['oggi', '/'],
  ['calendario', '/calendario?anno=2027'],
  ['calendario-mese', '/calendario?anno=2027&vista=mese&m=12'],
  ['organi', '/organi'],
  ['organo', '/organi/:organo'],
  ['persone', '/persone'],
  ['scadenze', '/scadenze'],
  ['scadenza', '/scadenze/:scadenza'],
  ['posta', '/posta'],
  ['accessibilita', '/accessibilita'],
] as const;

const world = useSignedInBrowser(COORDINATORE, async (db) => {
  crId = (await db.prisma.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } })).id;
  const ambito = await db.prisma.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } });
  const year = (await romeNow()).year; // the year /scadenze opens on
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
});

describe('every page of the navigation', () => {
  // One test per page: each loads twice and runs axe twice, which takes seconds on a shared machine.
  it.each(PAGES)(
    '%s passes axe-core with no serious or critical violation, on a desktop and on a phone',
    async (name, path) => {
      const page = await world.withScripts.newPage();
      const url = world.service.url + path.replace(':organo', crId).replace(':scadenza', deliverableId);
      const found = await auditOnDesktopAndPhone(page, url, world.shots, name);
      await page.close();
      expect(found).toEqual([]);
    },
  );

  it.each([
    ['organo-inesistente', '/organi/non-un-organo', 404],
    ['indirizzo-troppo-lungo', `/persone/${'x'.repeat(300)}`, 414],
  ] as const)(
    'the error page of a wrong address (%s) passes axe-core too, on a desktop and on a phone',
    async (name, path, status) => {
      const page = await world.withScripts.newPage();
      const found = await auditOnDesktopAndPhone(page, world.service.url + path, world.shots, name, status);
      expect(await page.locator('h1').innerText()).toMatch(/^(Organo non trovato|Indirizzo non valido)$/);
      await page.close();
      expect(found).toEqual([]);
    },
  );

  it('on a phone, leaves the content in sight: the navigation fits three rows of voices a finger can hit', async () => {
    const page = await world.noScripts.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(world.service.url + '/');
    const boxes = await page.locator('#navigazione a').evaluateAll((links) =>
      links.map((a) => {
        const box = a.getBoundingClientRect();
        return { top: Math.round(box.top), right: box.right, height: box.height, width: box.width };
      }),
    );
    expect(new Set(boxes.map((b) => b.top)).size).toBeLessThanOrEqual(3);
    for (const box of boxes) {
      expect(box.height).toBeGreaterThanOrEqual(24);
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.right).toBeLessThanOrEqual(PHONE.width);
    }
    // The page's heading starts within the first half of the screen.
    expect((await page.locator('h1').boundingBox())!.y).toBeLessThan(PHONE.height / 2);
    await expectScreenshot(world.shots, page, 'navigazione-telefono');
    await page.close();
  });

  it('reaches every screen from the navigation bar', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(world.service.url + '/');
    const labels = await page.locator('#navigazione a').allInnerTexts();
    expect(labels).toEqual([
      'Oggi',
      'Calendario',
      'Organi',
      'Persone',
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
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/organi/${crId}`);
    const before = (await world.db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules;
    const notice = page.getByLabel('Giorni liberi prima della seduta');
    await notice.fill('99');
    await page.getByRole('button', { name: 'Salva le regole' }).click();
    await page.waitForLoadState();
    expect(await notice.getAttribute('aria-invalid')).toBe('true');
    expect(await notice.inputValue()).toBe('99');
    expect(await page.locator('#regole-preavviso-errore').innerText()).not.toBe('');
    expect((await world.db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules).toEqual(before);
    await expectScreenshot(world.shots, page, 'organo-errore');

    await notice.fill('6');
    await page.getByRole('button', { name: 'Anteprima delle prossime sedute' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toContain('Anteprima, non ancora salvata');
    expect((await world.db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules).toEqual(before);
    await expectScreenshot(world.shots, page, 'organo-anteprima');

    await page.getByRole('button', { name: 'Salva le regole' }).click();
    await page.waitForLoadState();
    // The form's action ends in #regole: after the redirect the page opens at the form and its message.
    expect(page.url()).toBe(`${world.service.url}/organi/${crId}?esito=salvate#regole`);
    expect(await page.getByRole('status').innerText()).toContain('Regole aggiornate');
    expect(await world.db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).toMatchObject({
      rules: { notice: { ordinaryFreeDays: 6 } },
    });
  });

  it('Scadenze: refuses an extension without a reason, next to the field, keeping the date typed', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/scadenze/${deliverableId}`);
    const before = await world.db.prisma.deliverable.findUniqueOrThrow({ where: { id: deliverableId } });
    await page.getByLabel('Nuova scadenza').fill('2099-01-31');
    await page.getByRole('button', { name: 'Proroga la scadenza' }).click();
    await page.waitForLoadState();
    const reason = page.getByLabel('Motivo della proroga');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#proroga-reason-errore').innerText()).toContain('indicare il motivo');
    expect(await page.getByLabel('Nuova scadenza').inputValue()).toBe('2099-01-31');
    expect(await world.db.prisma.deliverable.findUniqueOrThrow({ where: { id: deliverableId } })).toEqual(
      before,
    );
    await expectScreenshot(world.shots, page, 'scadenza-errore');
  });
});

describe('plan warnings', () => {
  it('Organi: the preview warns, with deliverable and dates, of an Assemblea convened before its review', async () => {
    const page = await world.withScripts.newPage();
    await page.goto(`${world.service.url}/organi/${crId}`);
    const before = (await world.db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules;
    // The Comitato Ristretto on the third Wednesday: the day before the Assemblea, convened a week earlier.
    await page.getByLabel('Quale settimana del mese').selectOption('3');
    await page.getByLabel('Giorno', { exact: true }).selectOption('3');
    await page.getByRole('button', { name: 'Anteprima delle prossime sedute' }).click();
    await page.waitForLoadState();
    const warning = page.getByRole('alert').filter({ hasText: 'Con queste regole il piano avrebbe' });
    expect(await warning.innerText()).toMatch(
      /\(approvazione: Assemblea dei Sindaci, giovedì \d+ \S+ \d{4}\): la convocazione parte entro .+, prima dell'esame in Comitato Ristretto di mercoledì \d+ \S+ \d{4}\./,
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect((await world.db.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules).toEqual(before);
    await warning.scrollIntoViewIfNeeded();
    await expectScreenshot(world.shots, page, 'organo-avviso');
  });
});
