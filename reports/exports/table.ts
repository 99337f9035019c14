/**
 * What every report becomes before it is written out: a title, the lines that say what it covers (body,
 * period), the generation instant, and tables of typed cells. CSV, XLSX and PDF are three writers of this
 * one model, so the three files carry the same figures.
 */
import { DateTime } from 'luxon';

export type Cell = string | number | null;

export interface Column {
  header: string;
  /** `rate`: a share between 0 and 1, shown as a percentage. */
  kind: 'text' | 'integer' | 'rate';
  /** Relative width in the PDF (default 1). */
  width?: number;
}

export interface ReportTable {
  name: string;
  columns: Column[];
  rows: Cell[][];
}

export interface ReportDocument {
  title: string;
  /** "Organo: …", "Periodo: …". */
  about: string[];
  generatedAt: Date;
  tables: ReportTable[];
}

export const FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Exclude<ExportFormat, 'json'>, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** "87,5%": Italian decimal comma, one decimal. */
export function formatRate(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toLocaleString('it-IT', { maximumFractionDigits: 1 })}%`;
}

/** "15/03/2027" from a "YYYY-MM-DD" day. */
export function italianDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** "15/03/2027 18:05", Italian time, from an instant. */
export function italianDateTime(at: Date | string): string {
  const value = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return value.setZone('Europe/Rome').toFormat('dd/MM/yyyy HH:mm');
}

/** A cell as text, for the CSV and the PDF. */
export function cellText(cell: Cell, column: Column): string {
  if (cell === null) return '';
  if (column.kind === 'rate' && typeof cell === 'number') return formatRate(cell);
  return String(cell);
}
