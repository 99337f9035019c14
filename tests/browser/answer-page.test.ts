/**
 * The answer page as a mayor meets it: a link from the convocation opened in a real Chromium with
 * JavaScript turned off (the page must work without it: many municipal PCs and mail webviews block
 * scripts), on the seeded Ambito Distrettuale Cremasco. Every answer must land in Postgres with its audit
 * event, and every refused one must leave rows and audit untouched.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCremasco } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  MEETING,
  MEETING_WHEN,
  PNG_SIGNATURE,
  launchChromium,
  screenshots,
  startService,
  type Service,
} from './support';

let db: TestDatabase;
let service: Service;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let meetingId: string;
let mayor: { id: string; fullName: string };
let links: Record<'present' | 'absent' | 'delegate', string>;
const shots = screenshots();

beforeAll(async () => {
  db = await createTestDatabase();
  await seedCremasco(db.prisma);
  const body = await db.prisma.body.findFirstOrThrow({ where: { code: 'assemblea-sindaci' } });
  mayor = await db.prisma.person.findUniqueOrThrow({ where: { email: 'sindaco.sergnano@example.org' } });
  meetingId = (await db.prisma.meeting.create({ data: { ...MEETING, bodyId: body.id } })).id;
  service = await startService(db.prisma);
  links = await service.notifications.activities.issueAnswerLinks({
    meetingId,
    personId: mayor.id,
    expiresAt: MEETING.endsAt.toISOString(),
  });
  browser = await launchChromium();
  context = await browser.newContext({ javaScriptEnabled: false, locale: 'it-IT' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await db?.cleanup();
  shots.cleanup();
});

const invitation = () =>
  db.prisma.invitation.findUniqueOrThrow({
    where: { meetingId_personId: { meetingId, personId: mayor.id } },
  });
const auditOf = (invitationId: string) =>
  db.prisma.auditEvent.findMany({
    where: { entity: 'Invitation', entityId: invitationId },
    orderBy: { at: 'asc' },
  });

/** Clicks "Invia" and waits for the page the server answers the POST with. */
async function submit(): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: /Invia la risposta/ }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function expectScreenshot(name: string) {
  const png = await shots.take(page, name);
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(8_000); // a blank page compresses to a few hundred bytes
}

describe('answer page in a browser without JavaScript', () => {
  it('a mayor opens the link, chooses a delegate, and the answer is stored and audited', async () => {
    const response = await page.goto(links.present);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    await expect(page.title()).resolves.toBe('Risposta alla convocazione');
    expect(await page.locator('h1').innerText()).toBe('Assemblea dei Sindaci');
    const text = await page.locator('body').innerText();
    expect(text).toContain(MEETING_WHEN);
    expect(text).toContain(MEETING.place);
    expect(text).toContain(`Gentile ${mayor.fullName}`);
    // The link preselects its choice, the mayor changes it.
    expect(await page.getByRole('radio', { name: /Sarò presente/ }).isChecked()).toBe(true);
    await expectScreenshot('risposta-modulo');

    await page.getByRole('radio', { name: /Invierò un delegato/ }).check();
    await page.getByLabel('Nome e cognome del delegato').fill('Maria Rossi');
    await page.getByLabel('E-mail del delegato').fill('maria.rossi@sergnano.example.org');
    expect(await submit()).toBe(303);

    await expect(page.title()).resolves.toBe('Risposta registrata');
    expect(page.url()).toMatch(/\?registrata$/);
    const status = await page.getByRole('status').innerText();
    expect(status).toContain('Grazie, risposta registrata:');
    expect(status).toContain('Invierò un delegato');
    expect(status).toContain('Maria Rossi (maria.rossi@sergnano.example.org)');
    await expectScreenshot('risposta-registrata');

    const row = await invitation();
    expect(row).toMatchObject({
      answer: 'delegate',
      delegateName: 'Maria Rossi',
      delegateEmail: 'maria.rossi@sergnano.example.org',
    });
    expect(row.answeredAt).toBeInstanceOf(Date);
    // Reloading the confirmation shows it again and records nothing more.
    await page.reload();
    await expect(page.title()).resolves.toBe('Risposta registrata');
    const audit = await auditOf(row.id);
    expect(audit.map((a) => a.action)).toEqual(['invitation.answered']);
    expect(audit[0]!.data).toMatchObject({
      meetingId,
      answer: 'delegate',
      delegate: { name: 'Maria Rossi', email: 'maria.rossi@sergnano.example.org' },
      previous: null,
    });
  });

  it('a second answer from the same link replaces the first and is audited with what it replaced', async () => {
    await page.getByRole('link', { name: /Modifica la risposta/ }).click();
    await page.waitForLoadState();
    expect(await page.locator('.banner').innerText()).toContain(
      'Invierò un delegato / I will send a delegate: Maria Rossi (maria.rossi@sergnano.example.org)',
    );
    expect(await page.getByRole('radio', { name: /Invierò un delegato/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Nome e cognome del delegato').inputValue()).toBe('Maria Rossi');

    await page.getByRole('radio', { name: /Sarò presente/ }).check();
    expect(await submit()).toBe(303);
    expect(await page.getByRole('status').innerText()).toContain('Sarò presente');

    const row = await invitation();
    expect(row).toMatchObject({ answer: 'present', delegateName: null, delegateEmail: null });
    const audit = await auditOf(row.id);
    expect(audit.map((a) => a.action)).toEqual(['invitation.answered', 'invitation.answer_replaced']);
    expect(audit[1]!.data).toMatchObject({
      answer: 'present',
      delegate: null,
      previous: {
        answer: 'delegate',
        delegateName: 'Maria Rossi',
        delegateEmail: 'maria.rossi@sergnano.example.org',
      },
    });
  });

  it('a delegate e-mail the browser accepts but the server does not is refused on its field, and nothing is stored', async () => {
    await page.goto(links.delegate);
    const before = await invitation();
    const auditBefore = await db.prisma.auditEvent.count();
    await page.getByLabel('Nome e cognome del delegato').fill('Luca Bianchi');
    // Valid for <input type="email"> (so Chromium submits it), but without a domain suffix: a typo.
    await page.getByLabel('E-mail del delegato').fill('luca.bianchi@sergnano');
    expect(await submit()).toBe(400);

    await expect(page.title()).resolves.toBe('Risposta non valida');
    expect(await page.getByRole('alert').innerText()).toContain('La risposta non è stata registrata');
    expect(await page.locator('#email_delegato-errore').innerText()).toBe(
      'Indicare un indirizzo e-mail valido per il delegato',
    );
    expect(await page.locator('#nome_delegato-errore').count()).toBe(0);
    // A screen reader hears the field is wrong, and why.
    const email = page.getByLabel('E-mail del delegato');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toBe('email_delegato-errore');
    expect(await page.getByLabel('Nome e cognome del delegato').getAttribute('aria-invalid')).toBeNull();
    // What the mayor typed is still there to be corrected.
    expect(await page.getByRole('radio', { name: /Invierò un delegato/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Nome e cognome del delegato').inputValue()).toBe('Luca Bianchi');
    expect(await page.getByLabel('E-mail del delegato').inputValue()).toBe('luca.bianchi@sergnano');
    await expectScreenshot('risposta-errore');

    expect(await invitation()).toEqual(before);
    expect(await db.prisma.auditEvent.count()).toBe(auditBefore);
  });

  it('an unknown link shows an Italian 404 page, and a page submitted after its link expired a 410, storing nothing', async () => {
    const auditBefore = await db.prisma.auditEvent.count();
    const unknown = await page.goto(`${service.url}/risposta/${'A'.repeat(43)}`);
    expect(unknown?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Collegamento non valido');
    expect(await page.locator('body').innerText()).toContain('contatti l’Ufficio di Piano');
    await expectScreenshot('risposta-non-valida');

    // Another mayor opens the page, leaves it open past the meeting, then answers.
    const other = await db.prisma.person.findUniqueOrThrow({ where: { email: 'sindaco.crema@example.org' } });
    const issue = (expiresAt: string) =>
      service.notifications.activities.issueAnswerLinks({ meetingId, personId: other.id, expiresAt });
    const otherLinks = await issue(MEETING.endsAt.toISOString());
    expect((await page.goto(otherLinks.absent))?.status()).toBe(200);
    await issue(new Date(Date.now() - 60_000).toISOString()); // the meeting has taken place
    expect(await submit()).toBe(410);
    expect(await page.locator('h1').innerText()).toBe('Collegamento scaduto');
    expect(await page.locator('body').innerText()).toContain('La seduta si è già svolta');
    expect((await page.goto(otherLinks.absent))?.status()).toBe(410);

    // The two mayors' invitations (the delegate named earlier has one of their own).
    const rows = await db.prisma.invitation.findMany({
      where: { meetingId, personId: { in: [mayor.id, other.id] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => r.answer)).toEqual(['present', null]);
    expect(await db.prisma.auditEvent.count()).toBe(auditBefore);
  });
});
