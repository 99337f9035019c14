/**
 * Le mie riunioni in Debian's Chromium with JavaScript off: a mayor signs in by e-mail link, lands on their
 * meetings, opens the convened Assemblea, answers, changes the answer, names a delegate for that meeting
 * alone (who then finds the convocation in the development mailbox, once, and sees the meeting when signed
 * in), downloads an agenda document and a past session's approved verbale, and sets English as the language
 * of their e-mails. No serious or critical axe-core violation on the pages.
 */
import AxeBuilder from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signInLinkFor } from '../support/sign-in';
import { MEETING, useBrowserService } from './support';

const MAYOR = 'sindaco.sergnano@example.org';
const DELEGATE = { name: 'Maria Rossi', email: 'maria.rossi@sergnano.example.org' };
const AGENDA_PDF = new Uint8Array(Buffer.from('%PDF-1.4\n% Relazione sulle attività del 2036\n'));
const VERBALE_PDF = new Uint8Array(Buffer.from('%PDF-1.4\n% Verbale della seduta\n'));

let convenedId: string;
let pastId: string;
let mayorId: string;

const file = (name: string, content: Uint8Array<ArrayBuffer>) => ({
  name,
  mimeType: 'application/pdf',
  sizeBytes: content.length,
  sha256: createHash('sha256').update(content).digest('hex'),
  content,
});

const world = useBrowserService(async (db) => {
  const body = await db.prisma.body.findFirstOrThrow({ where: { code: 'assemblea-sindaci' } });
  mayorId = (await db.prisma.person.findUniqueOrThrow({ where: { email: MAYOR } })).id;
  const convened = await db.prisma.meeting.create({
    data: { ...MEETING, bodyId: body.id, status: 'convened', convenedAt: new Date() },
  });
  convenedId = convened.id;
  const item = await db.prisma.agendaItem.create({
    data: { meetingId: convenedId, position: 1, title: 'Approvazione del Report annuale 2036' },
  });
  await db.prisma.document.create({
    data: {
      ...file('Relazione attività 2036.pdf', AGENDA_PDF),
      meetingId: convenedId,
      agendaItemId: item.id,
    },
  });
  // A session held a month ago, its verbale approved.
  const heldAt = new Date(Date.now() - 30 * 86_400_000);
  const past = await db.prisma.meeting.create({
    data: {
      bodyId: body.id,
      plannedDateKey: heldAt.toISOString().slice(0, 10),
      startsAt: heldAt,
      endsAt: new Date(heldAt.getTime() + 7_200_000),
      status: 'closed',
      place: 'Sala degli Ostaggi, Crema',
    },
  });
  pastId = past.id;
  const verbale = await db.prisma.document.create({
    data: { ...file('Verbale.pdf', VERBALE_PDF), meetingId: pastId },
  });
  await db.prisma.verbale.create({
    data: {
      meetingId: pastId,
      status: 'approved',
      documentId: verbale.id,
      dueDate: heldAt,
      approvedAt: heldAt,
    },
  });
});

beforeAll(async () => {
  // The convocation left before this test: the mayor has their invitation (and answer links).
  await world.service.notifications.activities.issueAnswerLinks({
    meetingId: convenedId,
    personId: mayorId,
    expiresAt: MEETING.endsAt.toISOString(),
  });
});

/** Signs `email` in through the pages in a fresh browser with JavaScript off; returns the page. */
async function signIn(email: string): Promise<Page> {
  const context = await world.browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${world.service.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByRole('button', { name: 'Inviami il collegamento' }).click();
  await expect.poll(() => page.locator('h1').innerText()).toBe('Controlli la posta');
  const link = await signInLinkFor(world.service.notifications.catcher!.mailbox, email);
  await page.goto(link);
  await page.getByRole('button', { name: 'Accedi' }).click();
  return page;
}

/**
 * Serious or critical axe-core violations in the page's own content. axe runs as a script, so it checks the
 * page in a second context of the same person with JavaScript on; `prepare` brings that page to the state
 * the visitor's page is in (a refused form).
 */
async function seriousViolations(
  page: Page,
  prepare?: { url: string; steps: (copy: Page) => Promise<unknown> },
) {
  const context = await world.browser.newContext();
  try {
    await context.addCookies(await page.context().cookies());
    const copy = await context.newPage();
    await copy.goto(prepare?.url ?? page.url());
    await prepare?.steps(copy);
    const result = await new AxeBuilder({ page: copy }).include('main').analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id);
  } finally {
    await context.close();
  }
}

const ownInvitation = () =>
  world.db.prisma.invitation.findUniqueOrThrow({
    where: { meetingId_personId: { meetingId: convenedId, personId: mayorId } },
  });

describe('Le mie riunioni', () => {
  let page: Page;

  it('a mayor signs in and lands on their meetings: the convened Assemblea ahead, the past one with its verbale', async () => {
    page = await signIn(MAYOR);
    expect(new URL(page.url()).pathname).toBe('/mie-riunioni');
    const upcoming = page.locator('h2:has-text("Prossime sedute") + ul li', {
      hasText: 'Assemblea dei Sindaci',
    });
    expect(await upcoming.innerText()).toContain('martedì 3 marzo 2037, ore 18:00');
    expect(await upcoming.innerText()).toContain('Stato: convocata');
    const past = page.locator('h2:has-text("Sedute passate") + ul li', { hasText: 'Assemblea dei Sindaci' });
    expect(await past.innerText()).toContain('verbale approvato');
    expect(await seriousViolations(page)).toEqual([]);
    await world.shots.take(page, 'mie-riunioni');
  });

  it('answers, then changes the answer; each is stored and the page says so (Post/Redirect/Get)', async () => {
    await page.getByRole('link', { name: /Assemblea dei Sindaci, martedì 3 marzo 2037/ }).click();
    expect(await page.locator('h1').innerText()).toBe('Assemblea dei Sindaci');
    expect(await page.getByText('Non ha ancora risposto.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Sarò presente').check();
    await page.getByRole('button', { name: 'Invia la risposta' }).click();
    expect(new URL(page.url()).pathname).toBe(`/mie-riunioni/${convenedId}`);
    expect(await page.getByRole('status').innerText()).toContain('Risposta registrata: presente');
    expect((await ownInvitation()).answer).toBe('present');

    await page.getByLabel('Sarò assente').check();
    await page.getByRole('button', { name: 'Invia la risposta' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Risposta registrata: assente');
    expect((await ownInvitation()).answer).toBe('absent');
    const audit = await world.db.prisma.auditEvent.findMany({
      where: { entity: 'Invitation', entityId: (await ownInvitation()).id },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['invitation.answered', `person:${mayorId}`],
      ['invitation.answer_replaced', `person:${mayorId}`],
    ]);
  });

  it('a delegate without an e-mail is refused next to the field, with what was typed kept, and nothing changes', async () => {
    await page.getByLabel('Invierò un delegato per questa seduta').check();
    await page.getByLabel('Nome e cognome del delegato').fill(DELEGATE.name);
    await page.getByRole('button', { name: 'Invia la risposta' }).click();
    const email = page.getByLabel('E-mail del delegato');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).innerText()).toBe(
      'Indicare un indirizzo e-mail valido per il delegato',
    );
    expect(await page.getByLabel('Nome e cognome del delegato').inputValue()).toBe(DELEGATE.name);
    expect((await ownInvitation()).answer).toBe('absent');
    const refuseAgain = async (copy: Page) => {
      await copy.getByLabel('Invierò un delegato per questa seduta').check();
      await copy.getByRole('button', { name: 'Invia la risposta' }).click();
      expect(await copy.getByLabel('E-mail del delegato').getAttribute('aria-invalid')).toBe('true');
    };
    expect(
      await seriousViolations(page, {
        url: `${world.service.url}/mie-riunioni/${convenedId}`,
        steps: refuseAgain,
      }),
    ).toEqual([]);
    await world.shots.take(page, 'riunione-errore');
  });

  it('names a one-meeting delegate, who gets the convocation in the development mailbox, once', async () => {
    await page.getByLabel('E-mail del delegato').fill(DELEGATE.email);
    await page.getByRole('button', { name: 'Invia la risposta' }).click();
    expect(await page.getByRole('status').innerText()).toContain(
      `Risposta registrata: invia un delegato – ${DELEGATE.name} (${DELEGATE.email}), che riceve la convocazione`,
    );
    const saved = await ownInvitation();
    expect(saved).toMatchObject({
      answer: 'delegate',
      delegateName: DELEGATE.name,
      delegateEmail: DELEGATE.email,
    });
    const maria = await world.db.prisma.person.findUniqueOrThrow({ where: { email: DELEGATE.email } });
    expect(saved.delegatePersonId).toBe(maria.id);
    expect(maria.organisationId).toBeNull();

    // Sent again with the same delegate: the convocation's key is the same, nothing leaves twice.
    await page.getByRole('button', { name: 'Invia la risposta' }).click();
    expect(await page.getByRole('status').count()).toBe(1);
    const mailbox = world.service.notifications.catcher!.mailbox;
    const toMaria = () => mailbox.list().filter((m) => m.to.some((to) => to.includes(DELEGATE.email)));
    await expect.poll(() => toMaria().length).toBe(1);
    const [convocation] = toMaria();
    expect(convocation!.subject).toContain('Assemblea dei Sindaci');
    expect(convocation!.deliveries).toBe(1);
    const source = mailbox.source(convocation!.id)!.toString();
    expect(source).toContain('METHOD:REQUEST');
    expect(source).toContain(`/risposta/`);
    expect(await world.db.prisma.outboxMessage.count({ where: { recipientEmail: DELEGATE.email } })).toBe(1);
    await world.shots.take(page, 'riunione-delegato');
  });

  it('downloads an agenda document and the approved verbale of the past session', async () => {
    const [document] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Relazione attività 2036.pdf' }).click(),
    ]);
    expect(readFileSync((await document.path())!)).toEqual(Buffer.from(AGENDA_PDF));

    await page.goto(`${world.service.url}/mie-riunioni/${pastId}`);
    expect(await page.getByText('la seduta è iniziata', { exact: false }).count()).toBe(1);
    const [verbale] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica il verbale approvato' }).click(),
    ]);
    expect(readFileSync((await verbale.path())!)).toEqual(Buffer.from(VERBALE_PDF));
  });

  it('sets English as the language of the e-mails on Profilo', async () => {
    await page.goto(`${world.service.url}/profilo`);
    // bootstrap-italia draws its own radio over the input: the label takes the click.
    await page.getByLabel('English (inglese)').check({ force: true });
    await page.getByRole('button', { name: 'Salva' }).click();
    expect(await page.getByRole('status').innerText()).toBe('Profilo salvato.');
    expect((await world.db.prisma.person.findUniqueOrThrow({ where: { id: mayorId } })).language).toBe('en');
  });

  it('the delegate signs in and finds the meeting among theirs, as the mayor’s delegate', async () => {
    const delegatePage = await signIn(DELEGATE.email);
    expect(new URL(delegatePage.url()).pathname).toBe('/mie-riunioni');
    const row = delegatePage.locator('li', { hasText: 'Assemblea dei Sindaci' });
    expect(await row.innerText()).toContain('come delegato di Sindaco di Sergnano');
    await row.getByRole('link').click();
    // A delegate answers for themselves but names nobody: their invitation holds no seat.
    expect(await delegatePage.getByLabel('Sarò presente').count()).toBe(1);
    expect(await delegatePage.getByLabel('Invierò un delegato per questa seduta').count()).toBe(0);
    expect(await seriousViolations(delegatePage)).toEqual([]);
  });
});
