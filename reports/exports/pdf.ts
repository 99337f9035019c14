/**
 * PDF: title, what the report covers, the generation date, then each table as a grid that continues on new
 * pages with its header repeated. Text is set in DejaVu Sans, embedded from the `dejavu-fonts-ttf` npm
 * package: the PDF standard fonts cover only WinAnsi, and a TrueType font with full Latin coverage keeps every
 * accent of Italian names and places, whatever the reader has installed.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { cellText, italianDateTime, type ReportDocument, type ReportTable } from './table';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 36;
const ROW_PADDING = 3;

export function toPdf(doc: ReportDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: doc.title, Creator: 'Calendario della governance', CreationDate: doc.generatedAt },
  });
  pdf.registerFont('regular', FONT);
  pdf.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  pdf.font('bold').fontSize(16).text(doc.title);
  pdf.moveDown(0.3);
  pdf.font('regular').fontSize(10);
  for (const line of doc.about) pdf.text(line);
  pdf.text(`Generato il ${italianDateTime(doc.generatedAt)}`);
  for (const table of doc.tables) drawTable(pdf, table);
  pdf.end();
  return done;
}

function drawTable(pdf: PDFKit.PDFDocument, table: ReportTable): void {
  const width = pdf.page.width - 2 * MARGIN;
  const units = table.columns.reduce((sum, c) => sum + (c.width ?? 1), 0);
  const widths = table.columns.map((c) => (width * (c.width ?? 1)) / units);
  const bottom = () => pdf.page.height - MARGIN;

  const drawRow = (cells: string[], font: 'regular' | 'bold') => {
    pdf.font(font).fontSize(8);
    const height =
      Math.max(...cells.map((text, i) => pdf.heightOfString(text, { width: widths[i]! - 4 }))) +
      2 * ROW_PADDING;
    if (pdf.y + height > bottom()) {
      pdf.addPage();
      if (font === 'regular') drawRow(headers, 'bold');
      pdf.font(font).fontSize(8);
    }
    const top = pdf.y;
    let x = MARGIN;
    cells.forEach((text, i) => {
      pdf.text(text, x + 2, top + ROW_PADDING, { width: widths[i]! - 4, lineBreak: true });
      x += widths[i]!;
    });
    pdf
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + width, top + height)
      .lineWidth(0.3)
      .strokeColor('#999999')
      .stroke();
    pdf.x = MARGIN;
    pdf.y = top + height;
  };
  const headers = table.columns.map((c) => c.header);

  pdf.moveDown(1);
  if (pdf.y + 60 > bottom()) pdf.addPage();
  pdf.font('bold').fontSize(12).text(table.name, MARGIN);
  pdf.moveDown(0.3);
  drawRow(headers, 'bold');
  if (table.rows.length === 0) {
    pdf.font('regular').fontSize(9).text('Nessuna riga.', MARGIN);
    return;
  }
  for (const row of table.rows)
    drawRow(
      row.map((cell, i) => cellText(cell, table.columns[i]!)),
      'regular',
    );
}
