/**
 * Meeting series: "the nth weekday of each listed month at HH:mm Europe/Rome".
 *
 * Every occurrence is built from its civil date and wall-clock time in Europe/Rome, so an 18:00 meeting is
 * 18:00 local all year (17:00Z in winter, 16:00Z in summer) and the DST change days move nothing.
 *
 * Holiday rule: when the nominal date is not a working day (a weekend, a national holiday or a local feast
 * of the calendar passed in), the cadence's `onHoliday` policy decides:
 * - `next-week`: the same weekday one week later, repeated until a working day (at most 4 weeks);
 * - `next-working-day` / `previous-working-day`: the nearest working day after / before;
 * - `skip`: no meeting that month (the occurrence is reported in `skipped`).
 * The occurrence keeps its nominal date as `plannedDate`, the key that stored overrides refer to.
 */
import { DateTime } from 'luxon';
import type { Cadence } from './body-rules';
import type { HolidayCalendar } from './holidays';
import {
  addDays,
  atRome,
  civil,
  formatDate,
  formatInstant,
  weekdayOf,
  ROME,
  type CivilDate,
  type Instant,
} from './time';

export interface Occurrence {
  /** The date the rule gives, before any holiday shift: the stable key of this occurrence. */
  plannedDate: CivilDate;
  /** The civil date the meeting is planned on after the holiday policy. */
  date: CivilDate;
  start: Instant;
  end: Instant;
  /** Why `date` differs from `plannedDate` (the holiday's name, or "sabato"/"domenica"). */
  shiftedBecause?: string;
}

export interface SkippedOccurrence {
  plannedDate: CivilDate;
  reason: string;
}

export interface SeriesResult {
  occurrences: Occurrence[];
  skipped: SkippedOccurrence[];
}

/** The nth (1..5, or -1 = last) ISO weekday of a month; undefined when the month has no such day (a 5th). */
export function nthWeekdayOfMonth(
  year: number,
  month: number,
  nth: number,
  weekday: number,
): CivilDate | undefined {
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7)
    throw new RangeError(`Giorno della settimana non valido: ${weekday}`);
  if (!(nth === -1 || (Number.isInteger(nth) && nth >= 1 && nth <= 5)))
    throw new RangeError(`Ordinale non valido: ${nth}`);
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ROME });
  if (!first.isValid) throw new RangeError(`Mese non valido: ${year}-${month}`);
  if (nth === -1) {
    const last = first.endOf('month').startOf('day');
    return formatDate(last.minus({ days: (last.weekday - weekday + 7) % 7 }));
  }
  const day = first.plus({ days: ((weekday - first.weekday + 7) % 7) + (nth - 1) * 7 });
  return day.month === month ? formatDate(day) : undefined;
}

const WEEKEND: Record<number, string> = { 6: 'sabato', 7: 'domenica' };

/** Why a date is not a working day, or undefined when it is one. */
export function nonWorkingReason(date: CivilDate, holidays: HolidayCalendar): string | undefined {
  return holidays.holiday(date)?.name ?? WEEKEND[weekdayOf(date)];
}

/**
 * The occurrences of a cadence whose nominal date lies in [from, to] (civil dates, both included), sorted by
 * start. The shifted date may fall outside the range (e.g. the last Tuesday of December moved a week on).
 */
export function seriesOccurrences(
  cadence: Cadence,
  from: CivilDate,
  to: CivilDate,
  holidays: HolidayCalendar,
): SeriesResult {
  const first = civil(from);
  const last = civil(to);
  if (last < first) throw new RangeError(`Intervallo non valido: ${from} è dopo ${to}`);
  const occurrences: Occurrence[] = [];
  const skipped: SkippedOccurrence[] = [];
  const months = new Set(cadence.months);
  for (let m = first.startOf('month'); m <= last; m = m.plus({ months: 1 })) {
    if (!months.has(m.month)) continue;
    const plannedDate = nthWeekdayOfMonth(m.year, m.month, cadence.nth, cadence.weekday);
    if (!plannedDate || plannedDate < from || plannedDate > to) continue;
    const reason = nonWorkingReason(plannedDate, holidays);
    const date = reason === undefined ? plannedDate : applyPolicy(plannedDate, cadence.onHoliday, holidays);
    if (date === undefined) {
      skipped.push({ plannedDate, reason: reason ?? '' });
      continue;
    }
    const start = atRome(date, cadence.time);
    occurrences.push({
      plannedDate,
      date,
      start: formatInstant(start),
      end: formatInstant(start.plus({ minutes: cadence.durationMinutes })),
      ...(reason === undefined ? {} : { shiftedBecause: reason }),
    });
  }
  return { occurrences, skipped };
}

function applyPolicy(
  date: CivilDate,
  policy: Cadence['onHoliday'],
  holidays: HolidayCalendar,
): CivilDate | undefined {
  switch (policy) {
    case 'next-working-day':
      return holidays.nextWorkingDay(date);
    case 'previous-working-day':
      return holidays.previousWorkingDay(date);
    case 'skip':
      return undefined;
    case 'next-week': {
      for (let week = 1; week <= 4; week++) {
        const candidate = addDays(date, 7 * week);
        if (holidays.isWorkingDay(candidate)) return candidate;
      }
      // A weekday that is never a working day (Saturday, Sunday) cannot be moved by weeks.
      return undefined;
    }
  }
}
