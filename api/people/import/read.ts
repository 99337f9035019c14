/**
 * A spreadsheet of people as rows of text: XLSX (told by its bytes: a ZIP) read with exceljs, anything else
 * as CSV the way Italian Excel writes it (UTF-8 with or without a byte-order mark, `;` or `,` between fields,
 * RFC 4180 quotes) read with csv-parse. The first non-empty row is the header (columns.ts).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { clip } from '../../clip';
import { RequestRejected } from '../../errors';
import { COLUMNS, COLUMN_HEADER, columnOf, MAX_ROWS, type ColumnKey, type ImportRow } from './columns';
import { MAX_UNZIPPED_BYTES, unzippedSize } from './unzipped-size';

/** A template or a district's list is a few tens of kilobytes; this leaves ample room. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const NOT_XLSX = 'Il file non è un foglio XLSX leggibile: salvarlo di nuovo come .xlsx o .csv.';

/** A refusal of the uploaded file, its message shown next to the file field. */
const refusedFile = (status: number, code: string, message: string) =>
  new RequestRejected(status, code, message, [{ field: 'file', message }]);

const unreadable = (message: string) => refusedFile(400, 'file_non_leggibile', message);

export async function readSpreadsheet(content: Buffer): Promise<ImportRow[]> {
  const table = content.subarray(0, 4).equals(ZIP) ? await xlsxTable(content) : csvTable(content);
  return rowsOf(table);
}

/** Text of an Excel cell whatever it holds: a hyperlink (Excel makes one of every address), rich text, a formula's result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  return '';
}

async function xlsxTable(content: Buffer): Promise<string[][]> {
  const size = unzippedSize(content);
  if (size === 'too_large') {
    throw refusedFile(
      413,
      'file_troppo_grande',
      `Il file XLSX decompresso supera i ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB: non sembra un elenco di persone.`,
    );
  }
  if (size === 'malformed') throw unreadable(NOT_XLSX);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw unreadable(NOT_XLSX);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable('Il file XLSX non contiene fogli.');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    if (number > MAX_ROWS + 20) return;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cellText(cell.value)));
    rows[number - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}

/** `;` unless the header line has more `,` than `;` outside quotes. */
function separatorOf(text: string): ';' | ',' {
  const header = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const unquoted = header.replace(/"[^"]*"/g, '');
  const count = (c: string) => unquoted.split(c).length - 1;
  return count(',') > count(';') ? ',' : ';';
}

function csvTable(content: Buffer): string[][] {
  const text = content.toString('utf8');
  if (text.includes('\u0000'))
    throw unreadable('Il file non è un CSV né un XLSX: caricare un foglio di calcolo.');
  try {
    return parse(text, {
      bom: true,
      delimiter: separatorOf(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: false,
      to_line: MAX_ROWS + 20,
    }) as string[][];
  } catch (error) {
    throw unreadable(`Il file CSV non si legge: ${(error as Error).message.split('\n')[0]}`.slice(0, 300));
  }
}

/** The rows under the header, keyed by column; empty rows are skipped, the line numbers kept. */
function rowsOf(table: string[][]): ImportRow[] {
  const headerIndex = table.findIndex((row) => row.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw unreadable('Il file è vuoto: scaricare il modello e compilarlo.');
  const positions = new Map<ColumnKey, number>();
  table[headerIndex]!.forEach((header, i) => {
    const key = columnOf(header);
    if (key && !positions.has(key)) positions.set(key, i);
  });
  const missing = COLUMNS.filter((c) => c.required && !positions.has(c.key));
  if (missing.length > 0) {
    throw unreadable(
      `Mancano le colonne ${missing.map((c) => `«${COLUMN_HEADER[c.key]}»`).join(', ')} nella prima riga: usare il modello.`,
    );
  }
  const rows: ImportRow[] = [];
  table.slice(headerIndex + 1).forEach((cells, i) => {
    if (!cells.some((cell) => cell.trim() !== '')) return;
    const cell = (key: ColumnKey) => {
      const at = positions.get(key);
      return at === undefined ? '' : clip((cells[at] ?? '').trim(), 500);
    };
    rows.push({
      riga: headerIndex + i + 2,
      persona: cell('persona'),
      email: cell('email'),
      pec: cell('pec'),
      organizzazione: cell('organizzazione'),
      seggio: cell('seggio'),
      delegato: cell('delegato'),
    });
  });
  if (rows.length === 0) throw unreadable('Il file non contiene righe da importare sotto le intestazioni.');
  if (rows.length > MAX_ROWS) throw unreadable(`Al massimo ${MAX_ROWS} righe per file.`);
  return rows;
}
