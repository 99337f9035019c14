/** Periods of the reports: calendar days in Europe/Rome, both ends included. */
import { atRome, type CivilDate } from '../domain/index';

/** The instants from the first moment of `from` to the last of `to`, Italian time. */
export function romeDayRange(from: CivilDate, to: CivilDate): { gte: Date; lt: Date } {
  return { gte: atRome(from, '00:00').toJSDate(), lt: atRome(to, '00:00').plus({ days: 1 }).toJSDate() };
}
