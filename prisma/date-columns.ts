/**
 * Civil dates in the database: the `@db.Date` columns (a deliverable's and a verbale's due date, a seat's
 * first and last day, a plan's period), which Prisma reads and writes as midnight UTC of the date. Only this
 * module knows that; everything else speaks civil dates (`YYYY-MM-DD`, domain/time.ts).
 */
import { dayInRome, type CivilDate } from '../domain/time';

/** A civil date as a `@db.Date` column holds it. */
export const dateColumn = (day: CivilDate): Date => new Date(`${day}T00:00:00Z`);

/** The civil date a `@db.Date` column holds. */
export const civilOfColumn = (column: Date): CivilDate => column.toISOString().slice(0, 10) as CivilDate;

/** The days of `year`, as a filter on a `@db.Date` column. */
export const dateColumnsOfYear = (year: number): { gte: Date; lte: Date } => ({
  gte: dateColumn(`${year}-01-01`),
  lte: dateColumn(`${year}-12-31`),
});

/** The date in Europe/Rome on which the instant `at` falls, as a `@db.Date` column holds it. */
export const romeDateColumn = (at: Date): Date => dateColumn(dayInRome(at));
