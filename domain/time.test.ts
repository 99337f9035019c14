import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  atRome,
  dateOf,
  dayInRome,
  daysBetween,
  endOfMonth,
  formatInstant,
  instant,
  instantMs,
  weekdayOf,
  yearOf,
} from './time';

describe('time conventions', () => {
  it('reads instants with any offset and writes them with the Europe/Rome offset', () => {
    expect(formatInstant(instant('2027-03-09T17:00:00Z'))).toBe('2027-03-09T18:00:00+01:00');
    expect(formatInstant(instant('2027-07-13T16:00:00.000Z'))).toBe('2027-07-13T18:00:00+02:00');
    expect(formatInstant(instant('2027-07-13T12:00:00-04:00'))).toBe('2027-07-13T18:00:00+02:00');
    expect(instantMs('2027-03-09T18:00:00+01:00')).toBe(Date.UTC(2027, 2, 9, 17));
  });

  it('rejects instants without an offset and impossible values', () => {
    expect(() => instant('2027-03-09T18:00:00')).toThrow(/Istante non valido/);
    expect(() => instant('2027-02-30T18:00:00Z')).toThrow(/Istante non valido/);
    expect(() => instant('domani')).toThrow(/Istante non valido/);
  });

  it('puts an instant on its Europe/Rome day, not its UTC day', () => {
    expect(dateOf('2027-03-09T23:30:00Z')).toBe('2027-03-10');
    expect(dateOf('2027-07-13T22:30:00Z')).toBe('2027-07-14');
    expect(dateOf('2027-07-13T21:30:00Z')).toBe('2027-07-13');
    // A Date read from the database or a clock: the first minutes of a year in Rome are still the old year in UTC.
    expect(dayInRome(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(dayInRome(new Date('2027-07-13T21:59:59.999Z'))).toBe('2027-07-13');
  });

  it('keeps wall-clock time across daylight saving', () => {
    expect(formatInstant(atRome('2027-03-27', '18:00'))).toBe('2027-03-27T18:00:00+01:00');
    expect(formatInstant(atRome('2027-03-28', '18:00'))).toBe('2027-03-28T18:00:00+02:00');
    expect(formatInstant(atRome('2027-10-31', '18:00'))).toBe('2027-10-31T18:00:00+01:00');
    // 02:30 does not exist on the spring-forward day: it becomes 03:30 summer time.
    expect(formatInstant(atRome('2027-03-28', '02:30'))).toBe('2027-03-28T03:30:00+02:00');
    expect(() => atRome('2027-03-28', '25:00')).toThrow(/Orario non valido/);
  });

  it('counts civil days through DST changes', () => {
    expect(daysBetween('2027-03-27', '2027-03-29')).toBe(2);
    expect(daysBetween('2027-10-30', '2027-11-01')).toBe(2);
    expect(daysBetween('2027-11-01', '2027-10-30')).toBe(-2);
    expect(addDays('2027-03-27', 1)).toBe('2027-03-28');
    expect(addDays('2027-10-31', 1)).toBe('2027-11-01');
    expect(weekdayOf('2027-03-28')).toBe(7);
  });

  it('reads "entro il mese di X" as the last day of X', () => {
    expect(endOfMonth(2027, 4)).toBe('2027-04-30');
    expect(endOfMonth(2028, 2)).toBe('2028-02-29');
    expect(endOfMonth(2027, 12)).toBe('2027-12-31');
  });

  it('answers as luxon does on the fast paths, through two years and around both DST changes', () => {
    const viaLuxon = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone('Europe/Rome');
    const instants: number[] = [];
    for (let ms = Date.UTC(2026, 11, 31, 0, 0, 7); ms < Date.UTC(2028, 11, 31); ms += 7 * 3_600_000 + 61_000)
      instants.push(ms);
    for (const change of [Date.UTC(2027, 2, 28, 1), Date.UTC(2027, 9, 31, 1)])
      for (const delta of [-3_600_001, -1_800_000, -1000, -1, 0, 1, 1000, 1_800_000, 3_600_000])
        instants.push(change + delta);
    const seen = new Set<string>();
    for (const ms of instants) {
      const whole = new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().slice(0, 19);
      for (const iso of [new Date(ms).toISOString(), `${whole}-03:30`, `${whole}+01:00`]) {
        const expected = viaLuxon(iso);
        expect(formatInstant(instant(iso))).toBe(expected.toISO({ suppressMilliseconds: true }));
        expect(instantMs(iso)).toBe(expected.toMillis());
        expect(dateOf(iso)).toBe(expected.toISODate());
        seen.add(dateOf(iso));
      }
    }
    for (const day of seen) {
      const expected = DateTime.fromISO(day, { zone: 'Europe/Rome' });
      expect(weekdayOf(day)).toBe(expected.weekday);
      expect(yearOf(day)).toBe(expected.year);
      expect(addDays(day, 40)).toBe(expected.plus({ days: 40 }).toISODate());
      expect(addDays(day, -400)).toBe(expected.minus({ days: 400 }).toISODate());
      expect(daysBetween('2027-03-28', day)).toBe(
        Math.round(expected.diff(DateTime.fromISO('2027-03-28', { zone: 'Europe/Rome' }), 'days').days),
      );
    }
  });
});
