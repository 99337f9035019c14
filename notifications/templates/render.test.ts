import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInvite, icsLines } from '../calendar';
import { startMailCatcher, type MailCatcher } from '../catcher/server';
import { MARKERS, SAMPLES } from '../testing/samples';
import { createMailer, type Mailer } from '../transport';
import { TEMPLATE_KINDS } from './data';
import { renderMessage } from './render';

let catcher: MailCatcher;
let mailer: Mailer;

beforeAll(async () => {
  catcher = await startMailCatcher();
  mailer = createMailer({ smtpUrl: catcher.url });
});
afterAll(async () => {
  mailer.close();
  await catcher.close();
});

async function sendAndParse(kind: string, rendered: ReturnType<typeof renderMessage>, calendar?: string) {
  const messageId = `<${kind}-${Date.now()}@test.example.org>`;
  const result = await mailer.send('smtp', {
    from: 'Ufficio di Piano <udp@example.org>',
    to: { name: 'Gianluigi D’Ambrosio', address: 'sindaco@comune.sergnano.example.org' },
    ...rendered,
    messageId,
    date: new Date('2027-02-20T08:00:00Z'),
    calendar: calendar ? { method: 'REQUEST', content: calendar } : null,
  });
  expect(result.response).toMatch(/^250 /);
  const caught = catcher.mailbox.list().find((m) => m.messageId === messageId);
  expect(caught).toBeDefined();
  return simpleParser(catcher.mailbox.source(caught!.id)!);
}

function bodies(mail: ParsedMail) {
  return { html: String(mail.html), text: mail.text ?? '' };
}

/** Attribute values as a browser reads them (Handlebars escapes "=" and quotes inside href). */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) =>
    m[1]!
      .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&amp;/g, '&'),
  );
}

describe('every template, received over real SMTP and parsed with mailparser', () => {
  it.each(TEMPLATE_KINDS)('%s renders in the language asked for only, in HTML and text', async (kind) => {
    const marker = MARKERS[kind];
    for (const [language, other] of [
      ['it', 'en'],
      ['en', 'it'],
    ] as const) {
      const rendered = renderMessage(kind, SAMPLES[kind] as never, language);
      const mail = await sendAndParse(kind, rendered);
      const { html, text } = bodies(mail);
      expect(mail.subject).toBe(rendered.subject);
      expect(mail.subject).not.toContain(' / ');
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : null).toBe(
        'sindaco@comune.sergnano.example.org',
      );
      expect(html).toContain(`<html lang="${language}">`);
      for (const body of [html, text]) {
        expect(body).toContain('Ambito Distrettuale Cremasco');
        expect(body.toLowerCase(), `${language} marker in ${kind}`).toContain(marker[language].toLowerCase());
        expect(body.toLowerCase(), `no ${other} marker in ${kind}`).not.toContain(
          marker[other].toLowerCase(),
        );
      }
      // Links survive transfer encoding in both bodies.
      const links = hrefs(html);
      if (kind !== 'cancellation' && kind !== 'delegationWithdrawn') expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(text).toContain(link);
    }
  });

  it('convocation: Italian dates in Europe/Rome, numbered agenda, document link, legal basis, three answer links', async () => {
    const mail = await sendAndParse('convocation', renderMessage('convocation', SAMPLES.convocation));
    const { html, text } = bodies(mail);
    expect(mail.subject).toContain('martedì 9 marzo 2027, ore 18:00');
    expect(text).toContain('Quando: martedì 9 marzo 2027, ore 18:00');
    expect(text).not.toContain('When:');
    const english = renderMessage('convocation', SAMPLES.convocation, 'en');
    expect(english.text).toContain('When: Tuesday 9 March 2027, 18:00');
    expect(english.text).not.toContain('Quando:');
    expect(text).toMatch(
      /1\. Piano Operativo 2028[^\n]*\n\s+- Bozza Piano Operativo 2028: https:\/\/governance\.example\.org\/documenti\/po-2028\.pdf/,
    );
    expect(text).toContain('3. Varie ed eventuali');
    expect(text).toContain('Accordo di Programma 2018-2020, art. 7');
    for (const choice of ['presente', 'assente', 'delegato'])
      expect(hrefs(html)).toContain(`https://governance.example.org/risposta/TOKEN?scelta=${choice}`);
  });

  it('the summer date is shown in CEST and the winter one in CET', () => {
    const summer = renderMessage('convocation', {
      ...SAMPLES.convocation,
      meeting: {
        ...SAMPLES.convocation.meeting,
        startsAt: '2027-07-15T16:00:00Z',
        endsAt: '2027-07-15T18:00:00Z',
      },
    });
    expect(summer.text).toContain('giovedì 15 luglio 2027, ore 18:00');
  });

  it('agenda text cannot inject markup', async () => {
    const hostile = renderMessage('convocation', {
      ...SAMPLES.convocation,
      agenda: [
        {
          title: '<script>alert("x")</script> Bilancio',
          description: '<img src=x onerror=alert(1)>',
          documents: [],
        },
      ],
    });
    expect(hostile.html).not.toContain('<script>');
    expect(hostile.html).not.toContain('<img');
    expect(hostile.html).toContain('&lt;script&gt;');
    const mail = await sendAndParse('hostile', hostile);
    expect(String(mail.html)).not.toContain('<script>');
    // The plain text shows the words as typed: nothing there is interpreted.
    expect(mail.text).toContain('<script>alert("x")</script> Bilancio');
  });

  it('missing or malformed data is refused with the field named', () => {
    expect(() =>
      renderMessage('convocation', {
        ...SAMPLES.convocation,
        answerLinks: { ...SAMPLES.convocation.answerLinks, present: 'javascript:alert(1)' },
      }),
    ).toThrow(/present/);
    expect(() => renderMessage('convocation', { ...SAMPLES.convocation, agenda: [] })).toThrow(/agenda/);
  });

  it('the calendar invite arrives as text/calendar with METHOD, UID, SEQUENCE, ORGANIZER, ATTENDEE RSVP, VTIMEZONE, VALARM', async () => {
    const ics = buildInvite({
      method: 'REQUEST',
      meetingId: 'cr-2027-03',
      revision: 0,
      summary: 'Comitato Ristretto',
      startsAt: SAMPLES.convocation.meeting.startsAt,
      endsAt: SAMPLES.convocation.meeting.endsAt,
      location: SAMPLES.convocation.meeting.place,
      organizer: { name: 'Ufficio di Piano', email: 'udp@example.org' },
      attendee: { name: 'Gianluigi D’Ambrosio', email: 'sindaco@comune.sergnano.example.org' },
      stampedAt: '2027-02-20T08:00:00Z',
      uidDomain: 'governance.example.org',
    });
    const mail = await sendAndParse('invite', renderMessage('convocation', SAMPLES.convocation), ics);
    const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(part).toBeDefined();
    const lines = icsLines(part!.content.toString('utf8'));
    expect(lines).toContain('METHOD:REQUEST');
    expect(lines).toContain('UID:meeting-cr-2027-03@governance.example.org');
    expect(lines).toContain('SEQUENCE:0');
    expect(lines).toContain('DTSTART;TZID=Europe/Rome:20270309T180000');
    expect(lines).toContain('DTSTAMP:20270220T080000Z');
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('TZID:Europe/Rome');
    expect(lines).toContain('BEGIN:VALARM');
    expect(lines).toContain('TRIGGER:-PT1H');
    expect(lines).toContain('ORGANIZER;CN="Ufficio di Piano":mailto:udp@example.org');
    expect(lines.find((l) => l.startsWith('ATTENDEE'))).toMatch(
      /RSVP=TRUE.*MAILTO:sindaco@comune\.sergnano\.example\.org$/,
    );
  });
});
