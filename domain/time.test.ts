import { describe, expect, it } from 'vitest';
import {
  addDays,
  atRome,
  dateOf,
  daysBetween,
  endOfMonth,
  formatInstant,
  instant,
  instantMs,
  weekdayOf,
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
});
