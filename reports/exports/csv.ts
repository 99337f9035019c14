/**
 * CSV as Excel in Italy opens it: UTF-8 with a byte-order mark (without it Excel reads the accents as
 * Windows-1252), `;` between fields (the list separator of the Italian locale, where `,` is the decimal
 * comma), CRLF line ends, RFC 4180 quoting.
 */
import { cellText, type ReportTable } from './table';

const BOM = '\uFEFF';

function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(table: ReportTable): Buffer {
  const lines = [
    table.columns.map((c) => field(c.header)),
    ...table.rows.map((row) => row.map((cell, i) => field(cellText(cell, table.columns[i]!)))),
  ];
  return Buffer.from(BOM + lines.map((l) => l.join(';')).join('\r\n') + '\r\n', 'utf8');
}
