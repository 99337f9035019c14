/**
 * What an uploaded verbale really is, read from its bytes: a client's Content-Type or file name is only a
 * claim. PDF starts with "%PDF-"; ODT and DOCX are ZIP archives, told apart by what they contain.
 */
export type MinutesFormat = 'pdf' | 'odt' | 'docx';

export const MIME_TYPE: Record<MinutesFormat, string> = {
  pdf: 'application/pdf',
  odt: 'application/vnd.oasis.opendocument.text',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const ZIP_LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');

export function detectMinutesFormat(bytes: Buffer): MinutesFormat | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.length < 30 || !bytes.subarray(0, 4).equals(ZIP_LOCAL_HEADER)) return null;
  if (isOpenDocumentText(bytes)) return 'odt';
  // Entry names are stored uncompressed (local headers and central directory).
  if (bytes.includes('[Content_Types].xml') && bytes.includes('word/document.xml')) return 'docx';
  return null;
}

/** OpenDocument requires a first, uncompressed entry "mimetype" holding the document's media type. */
function isOpenDocumentText(bytes: Buffer): boolean {
  const size = bytes.readUInt32LE(18);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  if (bytes.subarray(30, 30 + nameLength).toString('latin1') !== 'mimetype') return false;
  const start = 30 + nameLength + extraLength;
  return bytes.subarray(start, start + size).toString('latin1') === MIME_TYPE.odt;
}
