/** The spreadsheet of a multipart request (field `file`), read into rows; refusals name the field. */
import type { FastifyRequest } from 'fastify';
import type { ImportRow } from './columns';
import { readSpreadsheet, refusedFile } from './read';

export async function readUploadedSpreadsheet(request: FastifyRequest): Promise<ImportRow[]> {
  if (!request.isMultipart())
    throw refusedFile(
      400,
      'richiesta_non_valida',
      'Inviare il foglio (CSV o XLSX) come multipart/form-data.',
    );
  const part = await request.file();
  if (!part) throw refusedFile(400, 'richiesta_non_valida', 'Scegliere il file da importare (CSV o XLSX).');
  let content: Buffer;
  try {
    content = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw refusedFile(413, 'file_troppo_grande', 'Il file supera i 2 MB: dividerlo in più file.');
    throw err;
  }
  if (content.length === 0) throw refusedFile(400, 'richiesta_non_valida', 'Il file è vuoto.');
  return readSpreadsheet(content);
}
