/** One report, one of three file formats, with the headers a browser needs to save it under a useful name. */
import type { FastifyReply } from 'fastify';
import { toCsv } from './csv';
import { toPdf } from './pdf';
import { CONTENT_TYPES, type ReportDocument } from './table';
import { toXlsx } from './xlsx';

export type FileFormat = keyof typeof CONTENT_TYPES;

export async function renderFile(doc: ReportDocument, format: FileFormat, csvTable = 0): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return toCsv(doc.tables[csvTable]!);
    case 'xlsx':
      return toXlsx(doc);
    case 'pdf':
      return toPdf(doc);
  }
}

export async function sendFile(
  reply: FastifyReply,
  doc: ReportDocument,
  format: FileFormat,
  fileName: string,
  csvTable = 0,
): Promise<FastifyReply> {
  const body = await renderFile(doc, format, csvTable);
  return reply
    .header('Content-Type', CONTENT_TYPES[format])
    .header('Content-Disposition', `attachment; filename="${fileName}.${format}"`)
    .header('Cache-Control', 'private, no-store')
    .send(body);
}
