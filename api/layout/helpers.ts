/**
 * The handlebars instance the pages render with (its own, so the e-mail templates' helpers stay apart),
 * and the few helpers views need: dates as people in Crema read them, and comparisons.
 */
import Handlebars from 'handlebars';
import { formatDate, formatDateTime, formatTime } from '../../notifications/format';
import { civilOfColumn } from '../../prisma/date-columns';

/** A stored instant or a civil day (`YYYY-MM-DD`, or a Date at midnight UTC) as an ISO string. */
function iso(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string' || value === '') return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value;
}

/** A civil day stored as a Date at midnight UTC, read at noon so no zone moves it to the day before. */
function civilIso(value: unknown): string | null {
  if (value instanceof Date) return `${civilOfColumn(value)}T12:00:00Z`;
  return iso(value);
}

export function createViewEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper('dataOra', (value: unknown) => {
    const at = iso(value);
    return at ? formatDateTime(at, 'it') : '';
  });
  engine.registerHelper('ora', (value: unknown) => {
    const at = iso(value);
    return at ? formatTime(at) : '';
  });
  engine.registerHelper('giorno', (value: unknown) => {
    const at = civilIso(value);
    return at ? formatDate(at, 'it') : '';
  });
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // Ids and labels built from parts ("dati-email", "fine-<id>"); the last argument is handlebars' options.
  engine.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  engine.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  return engine;
}
