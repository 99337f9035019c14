/**
 * The template an office fills in: the columns the import reads (columns.ts), as XLSX (with a sheet of
 * instructions and one listing the seats and comuni the import recognises) or as CSV (headers only, as
 * Italian Excel writes CSV: BOM and `;`).
 */
import ExcelJS from 'exceljs';
import type { Database } from '../../../prisma/client';
import { toCsv } from '../../../reports/exports/csv';
import { COLUMNS } from './columns';

const INSTRUCTIONS = [
  'Una riga per persona. Le intestazioni della prima riga del foglio «Persone» non vanno cambiate.',
  'Obbligatori: persona (nome e cognome), e-mail, organizzazione o comune (ad esempio «Pandino» o «Comune di Pandino»).',
  'Seggio: il ruolo come nel foglio «Seggi e comuni» (ad esempio «Sindaco di Pandino»): la persona prende quel seggio in ogni organo che lo ha; se lo occupa un segnaposto, lo sostituisce in tutto.',
  'Delegato permanente: l’e-mail del delegato del seggio, che va indicato in un’altra riga del file o deve essere già registrato.',
  'Prima di salvare, il servizio mostra cosa cambierà riga per riga e quali righe vanno corrette. Importare due volte lo stesso file non cambia nulla.',
  '',
  'Esempio:',
];

export async function templateXlsx(db: Database, ambitoId: string): Promise<Buffer> {
  const [seats, comuni] = await Promise.all([
    db.seat.findMany({
      where: { body: { ambitoId, active: true } },
      distinct: ['role'],
      orderBy: { role: 'asc' },
      select: { role: true },
    }),
    db.comune.findMany({ where: { ambitoId }, orderBy: { name: 'asc' }, select: { name: true } }),
  ]);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Calendario della governance';
  const people = workbook.addWorksheet('Persone');
  people.addRow(COLUMNS.map((c) => c.header)).font = { bold: true };
  COLUMNS.forEach((c, i) => (people.getColumn(i + 1).width = Math.max(18, c.header.length + 6)));
  people.views = [{ state: 'frozen', ySplit: 1 }];

  const help = workbook.addWorksheet('Istruzioni');
  help.getColumn(1).width = 40;
  for (const line of INSTRUCTIONS) help.addRow([line]);
  help.addRow(COLUMNS.map((c) => c.header)).font = { bold: true };
  for (const i of [0, 1]) help.addRow(COLUMNS.map((c) => c.example[i]));

  const lists = workbook.addWorksheet('Seggi e comuni');
  lists.addRow(['Seggio', 'Comune']).font = { bold: true };
  lists.getColumn(1).width = 70;
  lists.getColumn(2).width = 30;
  for (let i = 0; i < Math.max(seats.length, comuni.length); i++)
    lists.addRow([seats[i]?.role ?? '', comuni[i]?.name ?? '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function templateCsv(): Buffer {
  return toCsv({
    name: 'Persone',
    columns: COLUMNS.map((c) => ({ header: c.header, kind: 'text' as const })),
    rows: [],
  });
}
