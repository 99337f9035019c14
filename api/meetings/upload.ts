/**
 * Reading one uploaded document (multipart field `file`): PDF, ODT or DOCX told apart by their bytes, at
 * most MAX_DOCUMENT_BYTES, named safely. Shared by the verbale and the documents of agenda items.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { clip } from '../clip';
import { RequestRejected } from '../errors';
import { readUploadedFile } from '../upload';
import { detectMinutesFormat, MIME_TYPE, type MinutesFormat } from './filetype';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface UploadedDocument {
  name: string;
  format: MinutesFormat;
  mimeType: string;
  content: Buffer;
  sha256: string;
}

/** A name safe to store and to put back in a Content-Disposition header. */
function cleanName(raw: string | undefined, fallback: string): string {
  const printable = [...basename((raw ?? '').replaceAll('\\', '/'))]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '"')
    .join('')
    .trim();
  return clip(printable, 200) || fallback;
}

/**
 * The file of a multipart request, checked. `what` names it in messages ("il file del verbale"),
 * `fallbackName` is used without an extension when the client sent no name.
 */
export async function readUploadedDocument(
  request: FastifyRequest,
  what: string,
  fallbackName: string,
): Promise<UploadedDocument> {
  const { filename, content } = await readUploadedFile(request, {
    notMultipart: 'Inviare il file come multipart/form-data.',
    noFile: 'Nessun file allegato.',
    tooLarge: `${capitalised(what)} supera il limite di ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB: ridurlo (ad esempio esportando il PDF con compressione) e riprovare.`,
    empty: `${capitalised(what)} è vuoto.`,
  });
  const format = detectMinutesFormat(content);
  if (!format) {
    throw new RequestRejected(
      415,
      'formato_non_ammesso',
      `Formato non ammesso per ${what}: caricare un file PDF, ODT (LibreOffice) o DOCX (Word).`,
      [{ field: 'file', message: 'ammessi solo PDF, ODT e DOCX' }],
    );
  }
  return {
    name: cleanName(filename, `${fallbackName}.${format}`),
    format,
    mimeType: MIME_TYPE[format],
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Sends a stored document as a download. */
export function documentHeaders(doc: { name: string; mimeType: string; sizeBytes: number; sha256: string }) {
  const ascii = doc.name.replace(/[^\x20-\x7e]/g, '_');
  return {
    'content-type': doc.mimeType,
    'content-length': String(doc.sizeBytes),
    'x-content-sha256': doc.sha256,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.name)}`,
  };
}
