/**
 * Italian public holidays and working days.
 *
 * Computed here rather than with `date-holidays`: that package bundles every country's rules (12 MB with
 * js-yaml and lodash), far too much for Temporal's workflow bundle, and Italy needs only fixed dates plus
 * Easter. The tests check this module against `date-holidays` for many years.
 */
import { z } from 'zod';
import { DateTime } from 'luxon';
import { addDays, formatDate, ROME, weekdayOf, yearOf, type CivilDate } from './time';

/** The calendar before law 54/1977 had more holidays (San Giuseppe, Ascensione, ...): not modelled. */
const FIRST_YEAR = 1977;

export interface Holiday {
  date: CivilDate;
  name: string;
  /** National (law 260/1949 and later) or a local feast passed in by the caller. */
  scope: 'national' | 'local';
}

/** A local feast recurring every year on the same day, e.g. a comune's patron saint. */
export const LocalFeast = z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  name: z.string().min(1),
});
export type LocalFeast = z.infer<typeof LocalFeast>;

/**
 * Crema's patron, San Pantaleone, is celebrated on 10 June (the day of the city's deliverance from the plague
 * in 1361); the mayors of the whole Cremasco attend the celebration, so no district meeting should fall on it.
 * This is data for the Cremasco district's configuration, not a rule: pass it (or another list) in.
 */
export const CREMA_LOCAL_FEASTS: readonly LocalFeast[] = [
  { month: 6, day: 10, name: 'San Pantaleone (patrono di Crema)' },
];

/** Easter Sunday of the Gregorian calendar (anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): CivilDate {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate(DateTime.fromObject({ year, month, day }, { zone: ROME }));
}

/** Fixed-date national holidays (art. 2 law 260/1949 as amended), with the first year each applies. */
const FIXED: ReadonlyArray<[month: number, day: number, name: string, since: number]> = [
  [1, 1, 'Capodanno', FIRST_YEAR],
  // Abolished by law 54/1977, restored by DPR 792/1985.
  [1, 6, 'Epifania', 1986],
  [4, 25, 'Festa della Liberazione', FIRST_YEAR],
  [5, 1, 'Festa del Lavoro', FIRST_YEAR],
  // Moved to the first Sunday of June in 1977, back on 2 June by law 336/2000.
  [6, 2, 'Festa della Repubblica', 2001],
  [8, 15, 'Ferragosto', FIRST_YEAR],
  // Restored by law 151/2025 from 2026 (a Sunday in 2026; first weekday effect on Monday 4 October 2027).
  [10, 4, "San Francesco d'Assisi, patrono d'Italia", 2026],
  [11, 1, 'Ognissanti', FIRST_YEAR],
  [12, 8, 'Immacolata Concezione', FIRST_YEAR],
  [12, 25, 'Natale', FIRST_YEAR],
  [12, 26, 'Santo Stefano', FIRST_YEAR],
];

/** One-off national holidays declared by law for a single year. */
const ONE_OFF: ReadonlyArray<[date: CivilDate, name: string]> = [
  ['2011-03-17', "150° anniversario dell'Unità d'Italia"], // law 47/2011
];

/**
 * The national holidays of a year plus the given local feasts, sorted by date. A date that is both national
 * and local appears once, as national. Follows the law in force each year from 1977 (law 54/1977) on.
 */
export function italianHolidays(year: number, localFeasts: readonly LocalFeast[] = []): Holiday[] {
  assertYear(year);
  const easter = easterSunday(year);
  const national: Holiday[] = [
    ...FIXED.filter(([, , , since]) => year >= since).map(([month, day, name]) => ({
      date: ymd(year, month, day),
      name,
      scope: 'national' as const,
    })),
    { date: easter, name: 'Pasqua', scope: 'national' },
    { date: addDays(easter, 1), name: "Lunedì dell'Angelo", scope: 'national' },
    ...ONE_OFF.filter(([date]) => date.startsWith(`${year}-`)).map(([date, name]) => ({
      date,
      name,
      scope: 'national' as const,
    })),
  ];
  const taken = new Set(national.map((h) => h.date));
  const local: Holiday[] = [];
  for (const feast of localFeasts) {
    const date = ymd(year, feast.month, feast.day);
    if (taken.has(date)) continue;
    taken.add(date);
    local.push({ date, name: feast.name, scope: 'local' });
  }
  return [...national, ...local].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/**
 * Answers "is this a holiday / a working day?" for any date, caching each year's list. Create one per set of
 * local feasts and reuse it.
 */
export class HolidayCalendar {
  private readonly byYear = new Map<number, Map<CivilDate, Holiday>>();
  readonly localFeasts: readonly LocalFeast[];

  constructor(localFeasts: readonly LocalFeast[] = []) {
    this.localFeasts = localFeasts.map((f) => {
      const parsed = LocalFeast.safeParse(f);
      if (!parsed.success) throw new RangeError(`Festa locale non valida: ${JSON.stringify(f)}`);
      // 29 February would vanish in three years out of four: refuse it rather than skip it silently.
      if (!DateTime.fromObject({ year: 2023, month: f.month, day: f.day }).isValid) {
        throw new RangeError(`Festa locale con data inesistente: ${f.day}/${f.month}`);
      }
      return parsed.data;
    });
  }

  holiday(date: CivilDate): Holiday | undefined {
    const year = yearOf(date);
    let map = this.byYear.get(year);
    if (!map) {
      map = new Map(italianHolidays(year, this.localFeasts).map((h) => [h.date, h]));
      this.byYear.set(year, map);
    }
    return map.get(date);
  }

  isHoliday(date: CivilDate): boolean {
    return this.holiday(date) !== undefined;
  }

  /** Working day = Monday to Friday and not a holiday (national or local). */
  isWorkingDay(date: CivilDate): boolean {
    return weekdayOf(date) <= 5 && !this.isHoliday(date);
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: CivilDate): CivilDate {
    return this.walk(date, 1);
  }

  /** The last working day on or before `date`. */
  previousWorkingDay(date: CivilDate): CivilDate {
    return this.walk(date, -1);
  }

  private walk(date: CivilDate, step: 1 | -1): CivilDate {
    // Adding no days validates and normalises the date.
    let d = addDays(date, 0);
    // The longest run of non-working days in Italy is a handful (e.g. 24-27 Dec with a weekend); 31 is a bound.
    for (let i = 0; i < 31; i++) {
      if (this.isWorkingDay(d)) return d;
      d = addDays(d, step);
    }
    throw new Error(`Nessun giorno lavorativo entro 31 giorni da ${date}`);
  }
}

function ymd(year: number, month: number, day: number): CivilDate {
  const dt = DateTime.fromObject({ year, month, day }, { zone: ROME });
  if (!dt.isValid) throw new RangeError(`Data inesistente: ${year}-${month}-${day}`);
  return formatDate(dt);
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > 9999) {
    throw new RangeError(`Anno non valido: ${year} (atteso un intero dal ${FIRST_YEAR} al 9999)`);
  }
}
