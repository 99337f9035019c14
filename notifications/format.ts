/**
 * Dates as people read them in the messages: always in Europe/Rome, whatever the server's zone, because
 * every meeting of the district happens there and a mayor reads "ore 18:00", not UTC.
 */
import { DateTime } from 'luxon';

export const ZONE = 'Europe/Rome';
export type Language = 'it' | 'en';

/**
 * Formatted dates by format, language and instant. Converting to Europe/Rome and naming the day and month
 * in a language is most of the CPU a calendar page spends (bench:api's profile), and a page names the same
 * instants again and again; the answer depends on nothing else, so remembering it is exact.
 */
const formatted = new Map<string, string>();
const FORMATTED_LIMIT = 10_000;

function remembered(key: string, compute: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= FORMATTED_LIMIT) formatted.clear();
    formatted.set(key, (text = compute()));
  }
  return text;
}

function inRome(iso: string, language: Language): DateTime {
  const value = DateTime.fromISO(iso, { zone: 'utc' });
  if (!value.isValid) throw new Error(`Data non valida / invalid date: ${iso}`);
  return value.setZone(ZONE).setLocale(language);
}

/** "martedì 9 marzo 2027, ore 18:00" / "Tuesday 9 March 2027, 18:00". */
export function formatDateTime(iso: string, language: Language): string {
  return remembered(`dt ${language} ${iso}`, () =>
    inRome(iso, language).toFormat(
      language === 'it' ? "cccc d LLLL yyyy', ore' HH:mm" : 'cccc d LLLL yyyy, HH:mm',
    ),
  );
}

/** "martedì 9 marzo 2027" / "Tuesday 9 March 2027". */
export function formatDate(iso: string, language: Language): string {
  return remembered(`d ${language} ${iso}`, () => inRome(iso, language).toFormat('cccc d LLLL yyyy'));
}

/** "18:00" in both languages. */
export function formatTime(iso: string): string {
  return remembered(`t ${iso}`, () => inRome(iso, 'it').toFormat('HH:mm'));
}
