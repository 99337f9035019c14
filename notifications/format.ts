/**
 * Dates as people read them in the messages: always in Europe/Rome, whatever the server's zone, because
 * every meeting of the district happens there and a mayor reads "ore 18:00", not UTC.
 */
import { DateTime } from 'luxon';

export const ZONE = 'Europe/Rome';
export type Language = 'it' | 'en';

function inRome(iso: string, language: Language): DateTime {
  const value = DateTime.fromISO(iso, { zone: 'utc' });
  if (!value.isValid) throw new Error(`Data non valida / invalid date: ${iso}`);
  return value.setZone(ZONE).setLocale(language);
}

/** "martedì 9 marzo 2027, ore 18:00" / "Tuesday 9 March 2027, 18:00". */
export function formatDateTime(iso: string, language: Language): string {
  return inRome(iso, language).toFormat(
    language === 'it' ? "cccc d LLLL yyyy', ore' HH:mm" : 'cccc d LLLL yyyy, HH:mm',
  );
}

/** "martedì 9 marzo 2027" / "Tuesday 9 March 2027". */
export function formatDate(iso: string, language: Language): string {
  return inRome(iso, language).toFormat('cccc d LLLL yyyy');
}

/** "18:00" in both languages. */
export function formatTime(iso: string): string {
  return inRome(iso, 'it').toFormat('HH:mm');
}
