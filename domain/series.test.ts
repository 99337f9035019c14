import { describe, expect, it } from 'vitest';
import type { Cadence } from './body-rules';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';
import { nthWeekdayOfMonth, seriesOccurrences } from './series';
import { instantMs } from './time';

const cal = new HolidayCalendar(CREMA_LOCAL_FEASTS);
const cadence = (over: Partial<Cadence>): Cadence => ({
  months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  nth: 2,
  weekday: 2,
  time: '18:00',
  durationMinutes: 120,
  onHoliday: 'next-working-day',
  ...over,
});

describe('nthWeekdayOfMonth', () => {
  it.each([
    [2027, 1, 2, 2, '2027-01-12'],
    [2027, 3, 1, 1, '2027-03-01'], // the 1st is a Monday
    [2027, 3, 1, 7, '2027-03-07'],
    [2027, 12, 2, 3, '2027-12-08'],
    [2027, 4, 3, 4, '2027-04-15'],
    [2027, 3, -1, 7, '2027-03-28'], // last Sunday of March: DST starts
    [2027, 10, -1, 7, '2027-10-31'], // last Sunday of October: DST ends
    [2027, 2, -1, 1, '2027-02-22'],
    [2028, 2, -1, 2, '2028-02-29'], // leap day
    [2027, 5, 5, 1, '2027-05-31'],
  ])('%i-%i nth %i weekday %i -> %s', (y, m, nth, wd, expected) => {
    expect(nthWeekdayOfMonth(y, m, nth, wd)).toBe(expected);
  });

  it('has no fifth weekday in a month with only four', () => {
    expect(nthWeekdayOfMonth(2027, 2, 5, 2)).toBeUndefined();
  });

  it('rejects impossible arguments', () => {
    expect(() => nthWeekdayOfMonth(2027, 13, 1, 1)).toThrow(/Mese non valido/);
    expect(() => nthWeekdayOfMonth(2027, 1, 0, 1)).toThrow(/Ordinale non valido/);
    expect(() => nthWeekdayOfMonth(2027, 1, 1, 8)).toThrow(/Giorno della settimana non valido/);
  });
});

describe('seriesOccurrences', () => {
  it('plans the second Tuesday of every month at 18:00 local, 17:00Z in winter and 16:00Z in summer', () => {
    const { occurrences, skipped } = seriesOccurrences(cadence({}), '2027-01-01', '2027-12-31', cal);
    expect(skipped).toEqual([]);
    expect(occurrences.map((o) => o.start)).toEqual([
      '2027-01-12T18:00:00+01:00',
      '2027-02-09T18:00:00+01:00',
      '2027-03-09T18:00:00+01:00',
      '2027-04-13T18:00:00+02:00',
      '2027-05-11T18:00:00+02:00',
      '2027-06-08T18:00:00+02:00',
      '2027-07-13T18:00:00+02:00',
      '2027-08-10T18:00:00+02:00',
      '2027-09-14T18:00:00+02:00',
      '2027-10-12T18:00:00+02:00',
      '2027-11-09T18:00:00+01:00',
      '2027-12-14T18:00:00+01:00',
    ]);
    expect(instantMs(occurrences[0]!.start)).toBe(Date.UTC(2027, 0, 12, 17));
    expect(instantMs(occurrences[3]!.start)).toBe(Date.UTC(2027, 3, 13, 16));
    expect(occurrences[0]!.end).toBe('2027-01-12T20:00:00+01:00');
  });

  it('keeps 18:00 local in the weeks around both DST changes, whatever the weekday', () => {
    // DST 2027: from 28 March 02:00 to 31 October 03:00 local.
    for (const weekday of [1, 2, 3, 4, 5, 6, 7]) {
      for (const nth of [1, 2, 3, 4, -1] as const) {
        const { occurrences } = seriesOccurrences(
          cadence({ months: [3, 4, 10, 11], nth, weekday, onHoliday: 'skip' }),
          '2027-01-01',
          '2027-12-31',
          new HolidayCalendar(),
        );
        for (const o of occurrences) {
          const summer = o.date >= '2027-03-28' && o.date < '2027-10-31';
          expect(o.start).toBe(`${o.date}T18:00:00${summer ? '+02:00' : '+01:00'}`);
          expect(new Date(instantMs(o.start)).getUTCHours()).toBe(summer ? 16 : 17);
        }
      }
    }
  });

  it('shifts a rule landing on the DST change Sundays to 18:00 local of the chosen working day', () => {
    // A Sunday is never a working day: previous-working-day gives the Friday before, next-working-day the
    // next working day after the weekend (and Easter Monday, and Ognissanti), next-week cannot help: skipped.
    const prev = seriesOccurrences(
      cadence({ months: [3, 10], nth: -1, weekday: 7, onHoliday: 'previous-working-day' }),
      '2027-01-01',
      '2027-12-31',
      cal,
    );
    expect(prev.occurrences.map((o) => [o.plannedDate, o.start, o.shiftedBecause])).toEqual([
      ['2027-03-28', '2027-03-26T18:00:00+01:00', 'Pasqua'],
      ['2027-10-31', '2027-10-29T18:00:00+02:00', 'domenica'],
    ]);
    const nextWeek = seriesOccurrences(
      cadence({ months: [3, 10], nth: -1, weekday: 7, onHoliday: 'next-week' }),
      '2027-01-01',
      '2027-12-31',
      cal,
    );
    expect(nextWeek.occurrences).toEqual([]);
    expect(nextWeek.skipped).toEqual([
      { plannedDate: '2027-03-28', reason: 'Pasqua' },
      { plannedDate: '2027-10-31', reason: 'domenica' },
    ]);
    const next = seriesOccurrences(
      cadence({ months: [3, 10], nth: -1, weekday: 7, onHoliday: 'next-working-day' }),
      '2027-01-01',
      '2027-12-31',
      cal,
    );
    expect(next.occurrences.map((o) => o.start)).toEqual([
      '2027-03-30T18:00:00+02:00',
      '2027-11-02T18:00:00+01:00',
    ]);
  });

  describe('holiday policies on the second Wednesday of December 2027 (8 December, Immacolata)', () => {
    const run = (onHoliday: Cadence['onHoliday']) =>
      seriesOccurrences(cadence({ months: [12], weekday: 3, onHoliday }), '2027-01-01', '2027-12-31', cal);

    it('next-week: the same weekday a week later', () => {
      expect(run('next-week').occurrences).toEqual([
        {
          plannedDate: '2027-12-08',
          date: '2027-12-15',
          start: '2027-12-15T18:00:00+01:00',
          end: '2027-12-15T20:00:00+01:00',
          shiftedBecause: 'Immacolata Concezione',
        },
      ]);
    });
    it('next-working-day', () => {
      expect(run('next-working-day').occurrences.map((o) => o.date)).toEqual(['2027-12-09']);
    });
    it('previous-working-day', () => {
      expect(run('previous-working-day').occurrences.map((o) => o.date)).toEqual(['2027-12-07']);
    });
    it('skip', () => {
      const r = run('skip');
      expect(r.occurrences).toEqual([]);
      expect(r.skipped).toEqual([{ plannedDate: '2027-12-08', reason: 'Immacolata Concezione' }]);
    });
  });

  it('moves around local feasts passed in, and only those', () => {
    // Second Thursday of June 2027 is 10 June, San Pantaleone in Crema.
    const c = cadence({ months: [6], weekday: 4 });
    expect(seriesOccurrences(c, '2027-06-01', '2027-06-30', cal).occurrences[0]!.date).toBe('2027-06-11');
    expect(seriesOccurrences(c, '2027-06-01', '2027-06-30', new HolidayCalendar()).occurrences[0]!.date).toBe(
      '2027-06-10',
    );
  });

  it('next-week steps over consecutive holidays', () => {
    // Easter Monday 2027 is 29 March; with a local feast on 5 April the next free Monday is 12 April.
    const local = new HolidayCalendar([{ month: 4, day: 5, name: 'festa locale' }]);
    const r = seriesOccurrences(
      cadence({ months: [3], nth: -1, weekday: 1, onHoliday: 'next-week' }),
      '2027-03-01',
      '2027-03-31',
      local,
    );
    expect(r.occurrences.map((o) => o.date)).toEqual(['2027-04-12']);
  });

  it('selects occurrences by their nominal date within the range, both ends included', () => {
    const r = seriesOccurrences(cadence({}), '2027-02-09', '2027-04-13', cal);
    expect(r.occurrences.map((o) => o.plannedDate)).toEqual(['2027-02-09', '2027-03-09', '2027-04-13']);
    expect(seriesOccurrences(cadence({}), '2027-02-10', '2027-03-08', cal).occurrences).toEqual([]);
  });

  it('rejects an inverted range', () => {
    expect(() => seriesOccurrences(cadence({}), '2027-12-31', '2027-01-01', cal)).toThrow(
      /Intervallo non valido/,
    );
  });
});
