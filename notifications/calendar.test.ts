/**
 * Invites and feeds, byte for byte: a change of ical-generator (version 11 escapes parameters as RFC 6868
 * says) or of our use of it shows here before mail clients and subscribed calendars see it.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { EUROPE_ROME, buildFeed, buildInvite, icsLines, type FeedEvent, type InviteInput } from './calendar';

const CRLF = '\r\n';

/** Europe/Rome as calendar.ts writes it; the last test checks what it says against the tz database. */
const ROME_ZONE = EUROPE_ROME.split(CRLF);

const MARCH: InviteInput = {
  method: 'REQUEST',
  meetingId: 'cr-2027-03',
  revision: 1,
  summary: 'Comitato Ristretto – seduta di marzo',
  description:
    'Ordine del giorno:\n1. Verbale della seduta precedente; approvazione\n2. Piano di Zona, stato di avanzamento',
  startsAt: '2027-03-09T17:00:00Z',
  endsAt: '2027-03-09T19:00:00Z',
  location: 'Sala Giunta, Piazza Duomo 25, Crema',
  url: 'https://governance.example.org/riunioni/cr-2027-03',
  organizer: { name: 'Ufficio di Piano', email: 'udp@example.org' },
  attendee: { name: 'Gianluigi D’Ambrosio', email: 'sindaco@comune.sergnano.example.org' },
  stampedAt: '2027-02-20T08:00:00.250Z',
  uidDomain: 'governance.example.org',
};

/** Physical lines with their UTF-8 length, folded ones included. */
const physicalLines = (ics: string) => ics.split(CRLF).map((line) => Buffer.byteLength(line, 'utf8'));

describe('calendar invites and feeds (RFC 5545)', () => {
  it('an invite is, byte for byte, the text clients have been receiving', () => {
    expect(buildInvite(MARCH)).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//governance-cycles//calendario-governance//IT',
        'METHOD:REQUEST',
        ...ROME_ZONE,
        'BEGIN:VEVENT',
        'UID:meeting-cr-2027-03@governance.example.org',
        'SEQUENCE:1',
        'DTSTAMP:20270220T080000Z',
        'DTSTART;TZID=Europe/Rome:20270309T180000',
        'DTEND;TZID=Europe/Rome:20270309T200000',
        'SUMMARY:Comitato Ristretto – seduta di marzo',
        'LOCATION:Sala Giunta\\, Piazza Duomo 25\\, Crema',
        'DESCRIPTION:Ordine del giorno:\\n1. Verbale della seduta precedente\\; appro',
        ' vazione\\n2. Piano di Zona\\, stato di avanzamento',
        'ORGANIZER;CN="Ufficio di Piano":mailto:udp@example.org',
        'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Gianluig',
        ' i D’Ambrosio":MAILTO:sindaco@comune.sergnano.example.org',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'TRIGGER:-PT1H',
        'DESCRIPTION:Comitato Ristretto – seduta di marzo',
        'END:VALARM',
        'URL;VALUE=URI:https://governance.example.org/riunioni/cr-2027-03',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join(CRLF),
    );
  });

  it('a cancellation asks for no answer and sets no reminder', () => {
    const lines = icsLines(buildInvite({ ...MARCH, method: 'CANCEL', revision: 2 }));
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines.find((l) => l.startsWith('ATTENDEE'))).toContain(';RSVP=FALSE;');
    expect(lines).not.toContain('BEGIN:VALARM');
  });

  it('a feed is, byte for byte, the text subscribed calendars have been receiving', () => {
    const events: FeedEvent[] = [
      {
        meetingId: 'cr-2027-03',
        revision: 2,
        summary: 'Comitato Ristretto',
        description: 'Seduta annullata: assenza del numero legale',
        startsAt: '2027-03-09T18:00:00+01:00',
        endsAt: '2027-03-09T20:00:00+01:00',
        url: 'https://governance.example.org/riunioni/cr-2027-03',
        cancelled: true,
        changedAt: '2027-03-01T10:15:00+01:00',
      },
      {
        meetingId: 'cr-2027-07',
        revision: 0,
        summary: 'Comitato Ristretto',
        startsAt: '2027-07-06T18:00:00+02:00',
        endsAt: '2027-07-06T20:00:00+02:00',
        location: 'Sala Giunta',
        url: 'https://governance.example.org/riunioni/cr-2027-07',
        cancelled: false,
        changedAt: '2027-06-01T08:00:00Z',
      },
    ];
    expect(buildFeed({ name: 'Comitato Ristretto', uidDomain: 'governance.example.org', events })).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//governance-cycles//calendario-governance//IT',
        'NAME:Comitato Ristretto',
        'X-WR-CALNAME:Comitato Ristretto',
        ...ROME_ZONE,
        'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
        'X-PUBLISHED-TTL:PT1H',
        'BEGIN:VEVENT',
        'UID:meeting-cr-2027-03@governance.example.org',
        'SEQUENCE:2',
        'DTSTAMP:20270301T091500Z',
        'DTSTART;TZID=Europe/Rome:20270309T180000',
        'DTEND;TZID=Europe/Rome:20270309T200000',
        'SUMMARY:Comitato Ristretto',
        'DESCRIPTION:Seduta annullata: assenza del numero legale',
        'URL;VALUE=URI:https://governance.example.org/riunioni/cr-2027-03',
        'STATUS:CANCELLED',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:meeting-cr-2027-07@governance.example.org',
        'SEQUENCE:0',
        'DTSTAMP:20270601T080000Z',
        'DTSTART;TZID=Europe/Rome:20270706T180000',
        'DTEND;TZID=Europe/Rome:20270706T200000',
        'SUMMARY:Comitato Ristretto',
        'LOCATION:Sala Giunta',
        'URL;VALUE=URI:https://governance.example.org/riunioni/cr-2027-07',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join(CRLF),
    );
  });

  it('a feed with no meetings names no time zone', () => {
    expect(buildFeed({ name: 'Vuoto', uidDomain: 'x.org', events: [] })).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//governance-cycles//calendario-governance//IT',
        'NAME:Vuoto',
        'X-WR-CALNAME:Vuoto',
        'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
        'X-PUBLISHED-TTL:PT1H',
        'END:VCALENDAR',
      ].join(CRLF),
    );
  });

  it('folds long lines at 75 octets without splitting a character, and unfolds to the same value', () => {
    const summary = `Conferenza dei Sindaci è 😀 “Piano di Zona” ${'àé’中'.repeat(40)} fine`;
    const ics = buildInvite({ ...MARCH, summary, attendee: { name: 'Zoë ’'.repeat(30), email: 'z@x.it' } });
    for (const octets of physicalLines(ics)) expect(octets).toBeLessThanOrEqual(75);
    for (const line of ics.split(CRLF)) expect(line).not.toMatch(/[\ud800-\udbff]$/);
    expect(Buffer.from(ics, 'utf8').toString('utf8')).not.toContain('\ufffd');
    expect(icsLines(ics)).toContain(`SUMMARY:${summary}`);
    expect(icsLines(ics).filter((l) => l.startsWith('SUMMARY:'))).toHaveLength(1);
    expect(ics.split(CRLF).length).toBeGreaterThan(icsLines(ics).length);
  });

  it('escapes text values: backslash, semicolon, comma and line breaks', () => {
    const lines = icsLines(
      buildInvite({ ...MARCH, summary: 'Bilancio; spese, entrate \\ saldo\nseconda riga' }),
    );
    expect(lines).toContain('SUMMARY:Bilancio\\; spese\\, entrate \\\\ saldo\\nseconda riga');
  });

  it('writes the reminder as a duration before the start', () => {
    const trigger = (alarmMinutesBefore: number) =>
      icsLines(buildInvite({ ...MARCH, alarmMinutesBefore })).find((l) => l.startsWith('TRIGGER'));
    expect(trigger(0)).toBe('TRIGGER:PT0S');
    expect(trigger(15)).toBe('TRIGGER:-PT15M');
    expect(trigger(90)).toBe('TRIGGER:-PT1H30M');
    expect(trigger(1440)).toBe('TRIGGER:-P1D');
    expect(trigger(1501)).toBe('TRIGGER:-P1DT1H1M');
  });

  it('writes times as Rome wall-clock times across the changes of hour', () => {
    const autumn = icsLines(
      buildInvite({ ...MARCH, startsAt: '2027-10-31T00:30:00Z', endsAt: '2027-10-31T01:30:00Z' }),
    );
    // 00:30 UTC is 02:30 CEST; 01:30 UTC is 02:30 CET, an hour later on the same wall clock.
    expect(autumn).toContain('DTSTART;TZID=Europe/Rome:20271031T023000');
    expect(autumn).toContain('DTEND;TZID=Europe/Rome:20271031T023000');
    const spring = icsLines(
      buildInvite({ ...MARCH, startsAt: '2027-03-28T00:30:00Z', endsAt: '2027-03-28T01:30:00Z' }),
    );
    expect(spring).toContain('DTSTART;TZID=Europe/Rome:20270328T013000');
    expect(spring).toContain('DTEND;TZID=Europe/Rome:20270328T033000');
  });

  it('an end before the start is written as the span it names', () => {
    const lines = icsLines(buildInvite({ ...MARCH, startsAt: MARCH.endsAt, endsAt: MARCH.startsAt }));
    expect(lines).toContain('DTSTART;TZID=Europe/Rome:20270309T180000');
    expect(lines).toContain('DTEND;TZID=Europe/Rome:20270309T200000');
  });

  it('the VTIMEZONE says what the tz database says of Europe/Rome, for every year from 1996 to 2100', () => {
    const lines = icsLines(buildInvite(MARCH));
    const zone = lines.slice(lines.indexOf('BEGIN:VTIMEZONE'), lines.indexOf('END:VTIMEZONE') + 1);
    expect(zone).toEqual(ROME_ZONE);
    expect(zone).toContain('TZID:Europe/Rome');
    const minutes = (offset: string) =>
      (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
    /** Each observance: its offsets, its local start time and month, on the last Sunday (BYDAY=-1SU). */
    const observances = ['DAYLIGHT', 'STANDARD'].map((kind) => {
      const part = zone.slice(zone.indexOf(`BEGIN:${kind}`), zone.indexOf(`END:${kind}`));
      const value = (name: string) => part.find((l) => l.startsWith(`${name}:`))!.slice(name.length + 1);
      expect(value('RRULE')).toMatch(/^FREQ=YEARLY;BYMONTH=\d+;BYDAY=-1SU$/);
      return {
        from: minutes(value('TZOFFSETFROM')),
        to: minutes(value('TZOFFSETTO')),
        month: Number(/BYMONTH=(\d+)/.exec(value('RRULE'))![1]),
        time: value('DTSTART').slice(9),
      };
    });
    const offset = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Rome' }).offset;
    for (let year = 1996; year <= 2100; year++) {
      for (const o of observances) {
        const last = DateTime.utc(year, o.month, 1).endOf('month').startOf('day');
        const sunday = last.minus({ days: last.weekday % 7 });
        // The change happens at the local time the observance starts, read on the clock it changes from.
        const at = sunday
          .set({ hour: Number(o.time.slice(0, 2)), minute: Number(o.time.slice(2, 4)) })
          .minus({ minutes: o.from })
          .toMillis();
        expect([year, o.month, offset(at - 1), offset(at)]).toEqual([year, o.month, o.from, o.to]);
      }
    }
  });
});
