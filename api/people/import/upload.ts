/** The spreadsheet of a multipart request (field `file`), read into rows; refusals name the field. */
import type { FastifyRequest } from 'fastify';
import { readUploadedFile } from '../../upload';
import type { ImportRow } from './columns';
import { MAX_IMPORT_BYTES, readSpreadsheet } from './read';

export async function readUploadedSpreadsheet(request: FastifyRequest): Promise<ImportRow[]> {
  const { content } = await readUploadedFile(request, {
    notMultipart: 'Inviare il foglio (CSV o XLSX) come multipart/form-data.',
    noFile: 'Scegliere il file da importare (CSV o XLSX).',
    tooLarge: `Il file supera i ${MAX_IMPORT_BYTES / 1024 / 1024} MB: dividerlo in più file.`,
    empty: 'Il file è vuoto.',
  });
  return readSpreadsheet(content);
}
