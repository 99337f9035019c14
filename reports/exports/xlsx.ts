/** XLSX: one worksheet per table, under a header that says what the report covers. */
import ExcelJS from 'exceljs';
import { italianDateTime, type ReportDocument } from './table';

export async function toXlsx(doc: ReportDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Calendario della governance';
  workbook.created = doc.generatedAt;
  for (const table of doc.tables) {
    // Excel refuses sheet names over 31 characters or with []:*?/\
    const sheet = workbook.addWorksheet(table.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
    sheet.addRow([doc.title]).font = { bold: true, size: 14 };
    for (const line of doc.about) sheet.addRow([line]);
    sheet.addRow([`Generato il ${italianDateTime(doc.generatedAt)}`]);
    sheet.addRow([]);
    const header = sheet.addRow(table.columns.map((c) => c.header));
    header.font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    table.columns.forEach((column, i) => {
      const col = sheet.getColumn(i + 1);
      col.width = Math.max(12, Math.min(48, column.header.length + 4, 16 * (column.width ?? 1)));
      if (column.kind === 'rate') col.numFmt = '0.0%';
    });
    sheet.views = [{ state: 'frozen', ySplit: header.number }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
