/**
 * Seats are held for whole days in Italy. A Membership holds from its `validFrom` to its `validTo`, both
 * included: a mayor whose seat ends on 30 June still sits, is convened and answers at a session held that
 * evening, and the successor's seat begins on 1 July (api/bodies/seats.ts ends the old one the day before).
 * Both columns are `@db.Date` (prisma/date-columns.ts), so an instant (a meeting's start, a request's now)
 * is judged on its date in Europe/Rome, turned into that form. Given the instant itself, a query compares
 * its UTC date: from midnight to 01:00 (02:00 in summer) in Rome that is still yesterday, so a seat would
 * outlast its last day and its successor's would start late.
 */
import { addDays, atRome, dateOf } from '../domain/time';
import type { Prisma } from './client';
import { romeDateColumn } from './date-columns';

const notEndedOn = (day: Date): Prisma.MembershipWhereInput => ({
  OR: [{ validTo: null }, { validTo: { gte: day } }],
});

/** Memberships not ended by the Rome day of `at`: those held then, and those beginning later. */
export const notEndedBy = (at: Date): Prisma.MembershipWhereInput => notEndedOn(romeDateColumn(at));

/** Memberships held on the Rome day of `at`. */
export function heldOn(at: Date): Prisma.MembershipWhereInput {
  const day = romeDateColumn(at);
  return { validFrom: { lte: day }, ...notEndedOn(day) };
}

/** The same rule as `heldOn`, for memberships already read. */
export function holdsOn(membership: { validFrom: Date; validTo: Date | null }, at: Date): boolean {
  const day = romeDateColumn(at).getTime();
  const { validFrom, validTo } = membership;
  return validFrom.getTime() <= day && (validTo === null || validTo.getTime() >= day);
}

/** When the Rome day of `at` ends: until then, what `heldOn(at)` finds changes only by a write. */
export const romeDayEnds = (at: Date): number =>
  atRome(addDays(dateOf(at.toISOString()), 1), '00:00').toMillis();
