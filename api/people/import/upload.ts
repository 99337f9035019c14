/** The spreadsheet of a multipart request (field `file`), read into rows; refusals name the field. */
import type { FastifyRequest } from 'fastify';
import { RequestRejected } from '../../errors';
import type { ImportRow } from './columns';
import { readSpreadsheet } from './read';

const refused = (status: number, code: string, message: string, field = 'file') =>
  new RequestRejected(status, code, message, [{ field, message }]);

export async function readUploadedSpreadsheet(request: FastifyRequest): Promise<ImportRow[]> {
  if (!request.isMultipart())
    throw refused(400, 'richiesta_non_valida', 'Inviare il foglio (CSV o XLSX) come multipart/form-data.');
  const part = await request.file();
  if (!part) throw refused(400, 'richiesta_non_valida', 'Scegliere il file da importare (CSV o XLSX).');
  let content: Buffer;
  try {
    content = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw refused(413, 'file_troppo_grande', 'Il file supera i 2 MB: dividerlo in più file.');
    throw err;
  }
  if (content.length === 0) throw refused(400, 'richiesta_non_valida', 'Il file è vuoto.');
  return readSpreadsheet(content);
}
