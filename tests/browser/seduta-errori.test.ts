/**
 * A refused form on the Seduta page, in Chromium with JavaScript off, as the coordinator meets it: the page is
 * long (facts, agenda, convocation, answers, roll call, verbale, history), so after a refused «Sposta» or
 * «Annulla» the page must open at that form, with the message there and a link to each field to correct, the
 * field marked invalid and described by its message, and what was typed kept. The link is reached and
 * followed with the keyboard alone and puts the focus on the field.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COORDINATORE } from '../support/auth';
import { expectScreenshot, MEETING, PHONE, seriousViolations, useSignedInBrowser } from './support';

let meetingId: string;

const world = useSignedInBrowser(COORDINATORE, async (db) => {
  const body = await db.prisma.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } });
  const meeting = await db.prisma.meeting.create({ data: { ...MEETING, bodyId: body.id } });
  meetingId = meeting.id;
  await db.prisma.agendaItem.create({
    data: { meetingId, position: 1, title: 'Piano Operativo: linee di indirizzo' },
  });
  // A session on Tuesday 8 June 2027, for a second one on the same day to be refused.
  await db.prisma.meeting.create({
    data: {
      bodyId: body.id,
      plannedDateKey: '2027-06-08',
      startsAt: new Date('2027-06-08T16:00:00Z'),
      endsAt: new Date('2027-06-08T18:00:00Z'),
      place: MEETING.place,
    },
  });
});

/** Whether the element is inside the window as it is now (what the person sees without scrolling). */
const inView = (page: Page, selector: string) =>
  page.evaluate<string>(`(() => {
    const box = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
    const seen = box.top >= 0 && box.bottom <= window.innerHeight;
    return seen ? 'in vista' : JSON.stringify({ top: box.top, bottom: box.bottom, scrollY, innerHeight });
  })()`);

async function refuseCancel(page: Page) {
  await page.goto(`${world.service.url}/sedute/${meetingId}`);
  await page.getByLabel('Motivo dell’annullamento').fill('no');
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Annulla la seduta', exact: true }).click(),
  ]);
}

describe('a refused form on the Seduta page', () => {
  it('opens at the form, with its message and a link to the field; the keyboard follows it to the field', async () => {
    const page = await world.noScripts.newPage();
    await refuseCancel(page);
    expect(page.url()).toMatch(/#annulla$/);
    const alert = page.locator('#annulla [role=alert]');
    expect(await alert.innerText()).toContain('Non salvato.');
    // The browser opens the page at the form (the scroll itself is checked with the phone below).
    expect(await page.evaluate<string | undefined>("document.querySelector(':target')?.id")).toBe('annulla');
    const link = alert.getByRole('link', { name: /^Motivo dell’annullamento: / });
    expect(await link.getAttribute('href')).toBe('#annulla-motivo');
    const field = page.locator('#annulla-motivo');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('annulla-motivo-errore');
    // Nothing happened to the meeting.
    expect((await world.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status).toBe(
      'planned',
    );
    // With the keyboard: Tab reaches the link (the first thing focusable after the form's heading), Enter
    // follows it, and the focus lands on the field.
    await page.locator('#annulla h3').click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('href')")).toBe(
      '#annulla-motivo',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('annulla-motivo');
    await expectScreenshot(world.shots, page, 'seduta-annulla-rifiutato');
    await page.close();
  });

  it('names a day in the past next to «Nuovo giorno», keeping the times typed', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/sedute/${meetingId}`);
    await page.getByLabel('Nuovo giorno').fill('2020-01-14');
    await page.locator('#sposta-inizio').fill('17:30');
    await page.locator('#sposta-fine').fill('19:00');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Sposta e avvisa i convocati' }).click(),
    ]);
    expect(page.url()).toMatch(/#sposta$/);
    expect(await page.evaluate<string | undefined>("document.querySelector(':target')?.id")).toBe('sposta');
    expect(await page.locator('#sposta [role=alert]').innerText()).toContain('Non salvato.');
    const day = page.locator('#sposta-giorno');
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#sposta-giorno-errore').innerText()).toContain('futuro');
    expect(
      await page.locator('#sposta [role=alert] a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ).toEqual(['#sposta-giorno']);
    expect(await day.inputValue()).toBe('2020-01-14');
    expect(await page.locator('#sposta-inizio').inputValue()).toBe('17:30');
    expect(
      new Date((await world.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).startsAt),
    ).toEqual(MEETING.startsAt);
    await page.close();
  });

  it('passes axe-core and fits a phone with the message shown', async () => {
    const page = await world.withScripts.newPage();
    await page.setViewportSize(PHONE);
    await refuseCancel(page);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    expect(await inView(page, '#annulla [role=alert]')).toBe('in vista');
    await expectScreenshot(world.shots, page, 'seduta-annulla-rifiutato-telefono');
    await page.close();
  });
});

describe('the Seduta page’s title', () => {
  it('names the day as people read it, not as stored', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/sedute/${meetingId}`);
    expect(await page.title()).toBe('Comitato Ristretto: seduta di martedì 3 marzo 2037');
    await page.close();
  });
});

describe('a refused Nuova seduta', () => {
  it('sums up what is wrong with a link to each field, which the keyboard follows; what was typed stays', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/sedute/nuova`);
    await page.getByLabel('Giorno', { exact: true }).fill('2036-04-08');
    await page.getByLabel('Inizio', { exact: true }).fill('18:00');
    await page.getByLabel('Fine', { exact: true }).fill('17:00');
    await page.getByLabel(/Ordine del giorno/).fill('Piano Operativo 2037');
    const before = await world.db.prisma.meeting.count();
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Crea la seduta' }).click(),
    ]);
    const summary = page.getByRole('alert');
    expect(await summary.innerText()).toContain('Seduta non creata.');
    const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['#organo', '#fine', '#luogo']);
    for (const id of ['organo', 'fine', 'luogo']) {
      expect(await page.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`#${id}`).getAttribute('aria-describedby')).toContain(`${id}-errore`);
    }
    // The message speaks of the form's fields, not of the API's (place, onlineUrl).
    expect(await page.locator('#luogo-errore').innerText()).toBe(
      'indicare il luogo oppure il collegamento online',
    );
    expect(await page.locator('#fine-errore').innerText()).toBe("deve essere successivo all'inizio");
    // From the top of the page, Tab reaches the summary's first link before any field; Enter moves the focus
    // to the field it names.
    await page.locator('h1').click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('href')")).toBe(
      '#organo',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('organo');
    expect(await page.getByLabel('Giorno', { exact: true }).inputValue()).toBe('2036-04-08');
    expect(await page.getByLabel(/Ordine del giorno/).inputValue()).toBe('Piano Operativo 2037');
    expect(await world.db.prisma.meeting.count()).toBe(before);
    await expectScreenshot(world.shots, page, 'nuova-seduta-rifiutata');
    await page.close();
  });
});

describe('a Nuova seduta on a day the body already meets', () => {
  it('names the day in Italian, not as stored', async () => {
    const page = await world.noScripts.newPage();
    await page.goto(`${world.service.url}/sedute/nuova`);
    await page.getByLabel('Organo').selectOption({ label: 'Comitato Ristretto' });
    await page.getByLabel('Giorno', { exact: true }).fill('2027-06-08');
    await page.getByLabel('Luogo', { exact: true }).fill('Sala Giunta, Comune di Crema');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Crea la seduta' }).click(),
    ]);
    const summary = await page.getByRole('alert').innerText();
    expect(summary).toContain('Esiste già una riunione di Comitato Ristretto il martedì 8 giugno 2027');
    expect(summary).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await page.close();
  });
});
