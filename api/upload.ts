/**
 * The one file a multipart request carries (field `file`), read whole. Every way the upload itself can be
 * wrong is a refusal naming the field: not multipart, no file, over the size limit, too many parts, empty,
 * or cut short and malformed (a client that stopped sending, a broken boundary). What the bytes must be
 * is the caller's business; the sentences are the caller's too, since they say what to send.
 */
import type { FastifyRequest } from 'fastify';
import { RequestRejected } from './errors';

export interface UploadWording {
  /** The request is not multipart/form-data. */
  notMultipart: string;
  /** The request carries no file. */
  noFile: string;
  /** The file is over the limit the route registered @fastify/multipart with. */
  tooLarge: string;
  /** The file has no bytes. */
  empty: string;
}

export interface UploadedFile {
  /** As the client sent it: untrusted. */
  filename: string | undefined;
  content: Buffer;
}

const refused = (status: number, code: string, message: string, field: string) =>
  new RequestRejected(status, code, message, [{ field: 'file', message: field }]);

/** @fastify/multipart's own refusals, by code; any other error while reading is a malformed request. */
const LIMITS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

function refusalOf(error: unknown, wording: UploadWording): RequestRejected {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return refused(413, 'file_troppo_grande', wording.tooLarge, 'troppo grande');
  if (typeof code === 'string' && LIMITS.has(code))
    return refused(
      413,
      'richiesta_troppo_grande',
      'La richiesta contiene troppi campi o file: inviare un solo file.',
      'un solo file',
    );
  return refused(
    400,
    'richiesta_non_valida',
    'Il file non è arrivato per intero (invio interrotto o modulo non valido): caricarlo di nuovo.',
    'invio incompleto',
  );
}

export async function readUploadedFile(
  request: FastifyRequest,
  wording: UploadWording,
): Promise<UploadedFile> {
  if (!request.isMultipart())
    throw refused(400, 'richiesta_non_valida', wording.notMultipart, 'file mancante');
  let upload: UploadedFile;
  try {
    const part = await request.file();
    if (!part) throw refused(400, 'richiesta_non_valida', wording.noFile, 'file mancante');
    upload = { filename: part.filename, content: await part.toBuffer() };
  } catch (error) {
    if (error instanceof RequestRejected) throw error;
    // Only the request's own bytes are read here, so whatever fails is about them, never a fault of ours.
    request.log.info({ err: error }, 'multipart upload refused');
    throw refusalOf(error, wording);
  }
  if (upload.content.length === 0) throw refused(400, 'richiesta_non_valida', wording.empty, 'file vuoto');
  return upload;
}
