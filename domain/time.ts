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
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export const ZONE = 'Europe/Rome';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Europe/Rome as a luxon zone that remembers its UTC offset per UTC hour. Luxon asks Intl for the offset of
 * every instant it builds or converts (a formatToParts call each time), which was most of the time spent
 * planning a calendar. An hour's offset is remembered only when it is the same at the hour's first and last
 * millisecond, so the answer is always Intl's: Rome has changed offset at most once an hour, on the hour.
 */
class HourlyOffsetZone extends IANAZone {
  private readonly byHour = new Map<number, number>();

  override offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    const known = this.byHour.get(hour);
    if (known !== undefined) return Number.isNaN(known) ? super.offset(ts) : known;
    const first = super.offset(hour * HOUR_MS);
    const constant = first === super.offset(hour * HOUR_MS + HOUR_MS - 1);
    // A bound, not an eviction policy: 100,000 hours are eleven years, more than any process plans.
    if (this.byHour.size >= 100_000) this.byHour.clear();
    this.byHour.set(hour, constant ? first : NaN);
    return constant ? first : super.offset(ts);
  }
}

/** Pass this to luxon rather than the ZONE string: same zone, without an Intl call per conversion. */
export const ROME = new HourlyOffsetZone(ZONE);

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

/*
 * Fast paths. The planner reads and writes dates and instants in its inner loops; the common shapes
 * ("YYYY-MM-DD", "YYYY-MM-DDTHH:mm:ss" with "Z" or "±hh:mm", years 1000-9999) are read and written with
 * integer arithmetic on epoch days and milliseconds. Anything else takes luxon's path, as before, so
 * results and errors do not change (time.test.ts checks both paths agree).
 */
const FAST_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FAST_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch day (days since 1970-01-01) of a valid civil date in the fast shape, else undefined. */
function epochDay(date: string): number | undefined {
  const m = FAST_DATE.exec(date);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** The civil date of an epoch day, when its year has four digits. */
function dateOfEpochDay(day: number): CivilDate | undefined {
  const text = new Date(day * DAY_MS).toISOString();
  return text.length === 24 && text >= '1000' ? (text.slice(0, 10) as CivilDate) : undefined;
}

/** Epoch milliseconds of a valid instant in the fast shape, else undefined. */
function fastInstantMs(iso: string): number | undefined {
  const m = FAST_INSTANT.exec(iso);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (
    year! < 1000 ||
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > daysInMonth(year!, month!) ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59
  )
    return undefined;
  const offsetMinutes = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) : 0;
  if (m[7] && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  return Date.UTC(year!, month! - 1, day!, hour, minute, second) - offsetMinutes * 60_000;
}

/** "YYYY-MM-DDTHH:mm:ss[.SSS]±hh:mm" in Europe/Rome, as luxon's toISO({ suppressMilliseconds }) writes it. */
function formatRomeMs(ms: number): Instant | undefined {
  const offset = ROME.offset(ms);
  if (!Number.isInteger(offset)) return undefined;
  const local = new Date(ms + offset * 60_000).toISOString();
  if (local.length !== 24 || local < '1000') return undefined;
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const fraction = ms % 1000 === 0 ? '' : local.slice(19, 23);
  return `${local.slice(0, 19)}${fraction}${sign}${hh}:${mm}` as Instant;
}

/** Parses a civil date; throws a clear error on anything else. */
export function civil(date: string): DateTime {
  const day = epochDay(date);
  if (day !== undefined) {
    const d = new Date(day * DAY_MS);
    return DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
      { zone: ROME },
    );
  }
  const parsed = CivilDate.safeParse(date);
  if (!parsed.success) throw new RangeError(`Data non valida: "${date}" (attesa AAAA-MM-GG)`);
  return DateTime.fromISO(date, { zone: ROME });
}

/** Parses an instant into Europe/Rome; throws a clear error on anything else. */
export function instant(iso: string): DateTime {
  const ms = fastInstantMs(iso);
  if (ms !== undefined) return DateTime.fromMillis(ms, { zone: ROME });
  const parsed = Instant.safeParse(iso);
  if (!parsed.success) throw new RangeError(`Istante non valido: "${iso}" (atteso ISO 8601 con fuso orario)`);
  return DateTime.fromISO(iso, { setZone: true }).setZone(ROME);
}

export function instantMs(iso: string): number {
  return fastInstantMs(iso) ?? instant(iso).toMillis();
}

/** Formats an instant with its Europe/Rome offset, to the second. */
export function formatInstant(dt: DateTime): Instant {
  return (
    (dt.isValid ? formatRomeMs(dt.toMillis()) : undefined) ??
    (dt.setZone(ROME).toISO({ suppressMilliseconds: true }) as Instant)
  );
}

export function formatDate(dt: DateTime): CivilDate {
  return dt.setZone(ROME).toISODate() as CivilDate;
}

/** The civil date (in Europe/Rome) on which an instant falls. */
export function dateOf(iso: string): CivilDate {
  const ms = fastInstantMs(iso);
  const formatted = ms === undefined ? undefined : formatRomeMs(ms);
  return formatted ? (formatted.slice(0, 10) as CivilDate) : formatDate(instant(iso));
}

/** The civil date (in Europe/Rome) on which a stored instant, a `Date` from the database or a clock, falls. */
export function dayInRome(at: Date): CivilDate {
  return dateOf(at.toISOString());
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
    { zone: ROME },
  );
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const day = epochDay(date);
  const sum = day !== undefined && Number.isInteger(days) ? dateOfEpochDay(day + days) : undefined;
  return sum ?? formatDate(civil(date).plus({ days }));
}

/** The year of a civil date. */
export function yearOf(date: CivilDate): number {
  return epochDay(date) === undefined ? civil(date).year : Number(date.slice(0, 4));
}

/** ISO weekday of a civil date: 1 = lunedì … 7 = domenica. */
export function weekdayOf(date: CivilDate): number {
  const day = epochDay(date);
  // 1970-01-01 was a Thursday (4).
  return day === undefined ? civil(date).weekday : ((((day + 3) % 7) + 7) % 7) + 1;
}

/** "Entro il mese di X" = the last day of month X (governance.md §2: no source gives an exact day). */
export function endOfMonth(year: number, month: number): CivilDate {
  return formatDate(DateTime.fromObject({ year, month, day: 1 }, { zone: ROME }).endOf('month'));
}

/** The last second of a civil day in Europe/Rome: "due on 30 April" means until 23:59:59 that day. */
export function endOfDay(date: CivilDate): Instant {
  return formatInstant(civil(date).endOf('day').startOf('second'));
}

/** Calendar days from `a` to `b` (negative when b is earlier), counted on civil dates. */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  const first = epochDay(a);
  const second = epochDay(b);
  if (first !== undefined && second !== undefined) return second - first;
  return Math.round(civil(b).diff(civil(a), 'days').days);
}

/**
 * The current instant in ms. Processes beside a time-skipping Temporal server (tests, the year preview) pass
 * that server's virtual clock, so every layer judges dates as the workflows do; otherwise it is the real one.
 */
export type Clock = () => number | Promise<number>;

/** What `clock` says, or the real clock when there is none. */
export async function readClock(clock?: Clock): Promise<number> {
  return clock ? await clock() : Date.now();
}

/** What `clock` says as a time in Europe/Rome: the day, month and year a page opens on. */
export async function romeNow(clock?: Clock): Promise<DateTime> {
  return DateTime.fromMillis(await readClock(clock), { zone: ROME });
}
