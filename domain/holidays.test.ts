import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { CREMA_LOCAL_FEASTS, easterSunday, HolidayCalendar, italianHolidays } from './holidays';

describe('easterSunday', () => {
  it.each([
    [1977, '1977-04-10'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // latest possible date
    [2285, '2285-03-22'], // earliest possible date
  ])('%i -> %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('rejects years outside the modelled calendar', () => {
    expect(() => easterSunday(1976)).toThrow(/Anno non valido/);
    expect(() => easterSunday(2027.5)).toThrow(/Anno non valido/);
  });
});

describe('italianHolidays', () => {
  it('lists the 2027 national holidays in date order, Easter Monday and 4 October included', () => {
    expect(italianHolidays(2027).map((h) => `${h.date} ${h.name}`)).toEqual([
      '2027-01-01 Capodanno',
      '2027-01-06 Epifania',
      '2027-03-28 Pasqua',
      "2027-03-29 Lunedì dell'Angelo",
      '2027-04-25 Festa della Liberazione',
      '2027-05-01 Festa del Lavoro',
      '2027-06-02 Festa della Repubblica',
      '2027-08-15 Ferragosto',
      "2027-10-04 San Francesco d'Assisi, patrono d'Italia",
      '2027-11-01 Ognissanti',
      '2027-12-08 Immacolata Concezione',
      '2027-12-25 Natale',
      '2027-12-26 Santo Stefano',
    ]);
  });

  it('follows the law of each year: no 4 October before 2026, no 2 June before 2001, no 6 January before 1986', () => {
    const dates = (y: number) => italianHolidays(y).map((h) => h.date);
    expect(dates(2025)).not.toContain('2025-10-04');
    expect(dates(2026)).toContain('2026-10-04');
    expect(dates(2000)).not.toContain('2000-06-02');
    expect(dates(2001)).toContain('2001-06-02');
    expect(dates(1985)).not.toContain('1985-01-06');
    expect(dates(1986)).toContain('1986-01-06');
    expect(dates(2011)).toContain('2011-03-17');
    expect(dates(2012)).not.toContain('2012-03-17');
  });

  it('agrees with date-holidays (IT, public) for every year 2001-2150', () => {
    const oracle = new Holidays('IT');
    for (let year = 2001; year <= 2150; year++) {
      const theirs = oracle
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10))
        .sort();
      expect(
        italianHolidays(year).map((h) => h.date),
        String(year),
      ).toEqual(theirs);
    }
  });

  it('adds local feasts as local, without duplicating a national holiday', () => {
    const list = italianHolidays(2027, [...CREMA_LOCAL_FEASTS, { month: 12, day: 8, name: 'doppione' }]);
    expect(list.find((h) => h.date === '2027-06-10')).toEqual({
      date: '2027-06-10',
      name: 'San Pantaleone (patrono di Crema)',
      scope: 'local',
    });
    expect(list.filter((h) => h.date === '2027-12-08')).toEqual([
      { date: '2027-12-08', name: 'Immacolata Concezione', scope: 'national' },
    ]);
    expect(list).toHaveLength(14);
  });
});

describe('HolidayCalendar', () => {
  const cal = new HolidayCalendar(CREMA_LOCAL_FEASTS);

  it('knows holidays, local feasts and weekends', () => {
    expect(cal.isHoliday('2027-03-29')).toBe(true); // Easter Monday
    expect(cal.isWorkingDay('2027-03-29')).toBe(false);
    expect(cal.isWorkingDay('2027-06-10')).toBe(false); // San Pantaleone, a Thursday
    expect(new HolidayCalendar().isWorkingDay('2027-06-10')).toBe(true);
    expect(cal.isWorkingDay('2027-03-27')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2027-03-28')).toBe(false); // Sunday (and Easter)
    expect(cal.isWorkingDay('2027-03-30')).toBe(true);
    expect(cal.holiday('2027-03-30')).toBeUndefined();
  });

  it('walks to the nearest working day in both directions', () => {
    expect(cal.nextWorkingDay('2027-12-24')).toBe('2027-12-24'); // a Friday, already working
    expect(cal.nextWorkingDay('2027-12-25')).toBe('2027-12-27');
    expect(cal.nextWorkingDay('2027-03-27')).toBe('2027-03-30'); // Sat, Easter, Easter Monday
    expect(cal.previousWorkingDay('2027-03-29')).toBe('2027-03-26');
    expect(cal.previousWorkingDay('2028-01-01')).toBe('2027-12-31');
    expect(cal.nextWorkingDay('2026-12-31')).toBe('2026-12-31');
    expect(cal.nextWorkingDay('2027-01-01')).toBe('2027-01-04');
  });

  it('rejects bad local feasts and bad dates', () => {
    expect(() => new HolidayCalendar([{ month: 2, day: 29, name: 'bisestile' }])).toThrow(/data inesistente/);
    expect(() => new HolidayCalendar([{ month: 13, day: 1, name: 'x' }])).toThrow(/Festa locale non valida/);
    expect(() => new HolidayCalendar([{ month: 4, day: 31, name: 'x' }])).toThrow(/data inesistente/);
    expect(() => cal.isHoliday('2027-02-30')).toThrow(/Data non valida/);
    expect(() => cal.isHoliday('27-02-01')).toThrow(/Data non valida/);
  });
});
