/**
 * CSV as Excel in Italy opens it: UTF-8 with a byte-order mark (without it Excel reads the accents as
 * Windows-1252), `;` between fields (the list separator of the Italian locale, where `,` is the decimal
 * comma), CRLF line ends, RFC 4180 quoting.
 */
import { cellText, type Column, type ReportTable } from './table';

const BOM = '\uFEFF';

function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Excel runs a cell that begins with = + - or @ as a formula (a tab or a carriage return before them is
 * skipped), and text people typed reaches these files: a mayor's answer names their delegate, and that name
 * is the report's «Rappresentato da». `=HYPERLINK(…)` there would run on the computer of whoever opens the
 * report (CWE-1236). A leading apostrophe makes Excel take the cell as text, and Excel does not show it.
 * Only text columns: numbers are ours, and a negative one must stay a number.
 */
function inert(value: string, column: Column): string {
  return column.kind === 'text' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(table: ReportTable): Buffer {
  const lines = [
    table.columns.map((c) => field(c.header)),
    ...table.rows.map((row) =>
      row.map((cell, i) => {
        const column = table.columns[i]!;
        return field(inert(cellText(cell, column), column));
      }),
    ),
  ];
  return Buffer.from(BOM + lines.map((l) => l.join(';')).join('\r\n') + '\r\n', 'utf8');
}
