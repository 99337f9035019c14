/**
 * Time conventions shared by every domain module.
 *
 * - An instant is an ISO 8601 string with an explicit offset. Inputs may use any offset ("Z" or ±hh:mm);
 *   outputs always carry the Europe/Rome offset of that instant (e.g. 2027-03-09T18:00:00+01:00), which names
 *   the same UTC instant and reads as the local wall-clock time. Compare instants with `instantMs`, never as
 *   strings: two offsets of the same instant sort differently as text.
 * - A civil date is "YYYY-MM-DD", a day of the Europe/Rome calendar. Every calendar rule (holidays, giorni
 *   liberi, nth weekday, months) is evaluated on civil dates in Europe/Rome, so daylight saving never moves a
 *   meeting's wall-clock time.
 *
 * Only luxon is used: no Date.now(), no Node built-ins, so this runs inside Temporal's workflow sandbox.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

export const ZONE = 'Europe/Rome';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An ISO instant must state its offset: a bare local time would be ambiguous across time zones. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const CivilDate = z
  .string()
  // A malformed string gets one message, not also "does not exist".
  .regex(ISO_DATE, { message: 'attesa una data AAAA-MM-GG', abort: true })
  .refine((s) => DateTime.fromISO(s, { zone: ZONE }).isValid, 'data inesistente');
export type CivilDate = z.infer<typeof CivilDate>;

export const Instant = z
  .string()
  .regex(ISO_INSTANT, {
    message: 'atteso un istante ISO 8601 con fuso orario, es. 2027-03-09T18:00:00+01:00',
    abort: true,
  })
  .refine((s) => DateTime.fromISO(s, { setZone: true }).isValid, 'istante inesistente');
export type Instant = z.infer<typeof Instant>;

/** Parses a civil date; throws a clear error on anything else. */
export function civil(date: string): DateTime {
  const parsed = CivilDate.safeParse(date);
  if (!parsed.success) throw new RangeError(`Data non valida: "${date}" (attesa AAAA-MM-GG)`);
  return DateTime.fromISO(date, { zone: ZONE });
}

/** Parses an instant into Europe/Rome; throws a clear error on anything else. */
export function instant(iso: string): DateTime {
  const parsed = Instant.safeParse(iso);
  if (!parsed.success) throw new RangeError(`Istante non valido: "${iso}" (atteso ISO 8601 con fuso orario)`);
  return DateTime.fromISO(iso, { setZone: true }).setZone(ZONE);
}

export function instantMs(iso: string): number {
  return instant(iso).toMillis();
}

/** Formats an instant with its Europe/Rome offset, to the second. */
export function formatInstant(dt: DateTime): Instant {
  return dt.setZone(ZONE).toISO({ suppressMilliseconds: true }) as Instant;
}

export function formatDate(dt: DateTime): CivilDate {
  return dt.setZone(ZONE).toISODate() as CivilDate;
}

/** The civil date (in Europe/Rome) on which an instant falls. */
export function dateOf(iso: string): CivilDate {
  return formatDate(instant(iso));
}

/**
 * The instant of a wall-clock time on a civil date in Europe/Rome. A time inside the spring-forward gap
 * (02:00–03:00 on the last Sunday of March) does not exist; luxon moves it forward by an hour.
 */
export function atRome(date: CivilDate, time: string): DateTime {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`Orario non valido: "${time}" (atteso HH:mm)`);
  const d = civil(date);
  return DateTime.fromObject(
    { year: d.year, month: d.month, day: d.day, hour: Number(match[1]), minute: Number(match[2]) },
    { zone: ZONE },
  );
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return formatDate(civil(date).plus({ days }));
}

/** ISO weekday of a civil date: 1 = lunedì … 7 = domenica. */
export function weekdayOf(date: CivilDate): number {
  return civil(date).weekday;
}

/** "Entro il mese di X" = the last day of month X (governance.md §2: no source gives an exact day). */
export function endOfMonth(year: number, month: number): CivilDate {
  return formatDate(DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).endOf('month'));
}

/** The last second of a civil day in Europe/Rome: "due on 30 April" means until 23:59:59 that day. */
export function endOfDay(date: CivilDate): Instant {
  return formatInstant(civil(date).endOf('day').startOf('second'));
}

/** Calendar days from `a` to `b` (negative when b is earlier), counted on civil dates. */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round(civil(b).diff(civil(a), 'days').days);
}
