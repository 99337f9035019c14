/**
 * The development mailbox in a real Chromium: a convocation goes through the real outbox and SMTP to the
 * embedded mail catcher, /dev/mailbox lists it, and its page shows the HTML (in a sandboxed frame), the
 * text and the calendar invite. The answer link inside the message must open the working answer page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../notifications/testing/samples';
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
let page: Page;
let meetingId: string;
let links: Record<'present' | 'absent' | 'delegate', string>;
const shots = screenshots();
/** The Italian half of the bilingual subject. */
const SUBJECT = `Convocazione Comitato Ristretto – ${MEETING_WHEN}`;
const MAYOR = { name: 'Sindaco di Sergnano', email: 'sindaco@sergnano.example.org' };

beforeAll(async () => {
  db = await createTestDatabase();
  const ambito = await db.prisma.ambito.create({
    data: { code: 'cremasco', name: 'Ambito Distrettuale Cremasco' },
  });
  const body = await db.prisma.body.create({
    data: {
      ambitoId: ambito.id,
      code: 'comitato-ristretto',
      name: 'Comitato Ristretto',
      kind: 'comitato_ristretto',
      convenerRole: 'Coordinatore',
      rules: {},
    },
  });
  meetingId = (await db.prisma.meeting.create({ data: { ...MEETING, bodyId: body.id } })).id;
  const person = await db.prisma.person.create({ data: { fullName: MAYOR.name, email: MAYOR.email } });
  service = await startService(db.prisma);
  const activities = service.notifications.activities;
  links = await activities.issueAnswerLinks({
    meetingId,
    personId: person.id,
    expiresAt: MEETING.endsAt.toISOString(),
  });
  const sent = await activities.sendNotifications([
    {
      key: `convocation:${meetingId}:${person.id}:1`,
      kind: 'convocation',
      data: {
        ...SAMPLES.convocation,
        recipient: { name: MAYOR.name },
        meeting: {
          bodyName: 'Comitato Ristretto',
          startsAt: MEETING.startsAt.toISOString(),
          endsAt: MEETING.endsAt.toISOString(),
          place: MEETING.place,
        },
        answerLinks: links,
      },
      to: MAYOR,
      invite: { method: 'REQUEST', meetingId, revision: 1 },
      meetingId,
      personId: person.id,
    },
  ]);
  expect(sent.delivery).toMatchObject({ sent: 1, pending: 0 });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'it-IT' })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await db?.cleanup();
  shots.cleanup();
});

async function expectScreenshot(name: string) {
  const png = await shots.take(page, name);
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(8_000); // a blank page compresses to a few hundred bytes
}

describe('/dev/mailbox in a browser', () => {
  it('lists the convocation the catcher received, labelled as a development mailbox', async () => {
    const response = await page.goto(`${service.url}/dev/mailbox`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Casella di sviluppo');
    expect(await page.locator('.banner').innerText()).toContain('non consegnati a nessuno');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(MAYOR.email);
    const subject = rows.first().getByRole('link');
    expect(await subject.innerText()).toContain(SUBJECT);
    await expectScreenshot('casella-elenco');
  });

  it('opening it shows the HTML body, the text and the invite, and its answer link opens the answer page', async () => {
    await page.locator('tbody tr').first().getByRole('link').click();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/dev\/mailbox\/[\w-]+$/);
    expect(await page.locator('h1').innerText()).toContain(SUBJECT);
    expect(await page.locator('.banner').innerText()).toContain('Casella di sviluppo');

    // The HTML part, rendered by the browser inside the sandboxed frame.
    const html = page.frameLocator('iframe[title="HTML"]');
    expect(await html.locator('body').innerText()).toContain('Comitato Ristretto');
    expect(await html.locator('body').innerText()).toContain(MEETING.place);
    // One message, one language (the mayor's: Italian).
    const delegateLinks = html.locator(`a[href="${links.delegate}"]`);
    expect(await delegateLinks.count()).toBe(1);

    const [text, invite] = await page.locator('pre').allInnerTexts();
    expect(text).toContain(`Quando: ${MEETING_WHEN}`);
    expect(text).toContain(links.present);
    expect(invite).toContain('BEGIN:VCALENDAR');
    expect(invite).toContain('METHOD:REQUEST');
    expect(invite).toMatch(new RegExp(`UID:meeting-${meetingId}@`));
    await expectScreenshot('casella-messaggio');

    // The link the mayor would click: it must reach this server's answer page, with the choice preselected.
    const href = await delegateLinks.first().getAttribute('href');
    expect((await page.goto(href!))?.status()).toBe(200);
    expect(await page.getByRole('radio', { name: /Invierò un delegato/ }).isChecked()).toBe(true);
    expect(await page.locator('body').innerText()).toContain(`Gentile ${MAYOR.name}`);
  });
});
