/**
 * An XLSX is a ZIP, and a ZIP of 2 MB can hold gigabytes (a "zip bomb") that exceljs would inflate in memory,
 * taking the API process down. Before exceljs opens an upload, every entry is inflated here with a ceiling
 * on its output (zlib's maxOutputLength), so the answer depends on the data, not on the sizes the file
 * declares. A district's list of people unzips to well under a megabyte.
 */
import { inflateRawSync } from 'node:zlib';

export const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export type UnzippedSize = 'within' | 'too_large' | 'malformed';

/** The end record: the last place its signature appears (a comment of up to 64 KB may follow it). */
function endRecordAt(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  return -1;
}

export function unzippedSize(zip: Buffer, limit: number = MAX_UNZIPPED_BYTES): UnzippedSize {
  try {
    const end = endRecordAt(zip);
    if (end < 0) return 'malformed';
    const entries = zip.readUInt16LE(end + 10);
    let at = zip.readUInt32LE(end + 16);
    let budget = limit;
    for (let i = 0; i < entries; i++) {
      if (zip.readUInt32LE(at) !== CENTRAL_ENTRY) return 'malformed';
      const method = zip.readUInt16LE(at + 10);
      const compressed = zip.readUInt32LE(at + 20);
      const local = zip.readUInt32LE(at + 42);
      at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
      if (zip.readUInt32LE(local) !== LOCAL_ENTRY) return 'malformed';
      const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataAt, dataAt + compressed);
      if (data.length !== compressed) return 'malformed';
      if (method === STORED) budget -= compressed;
      else if (method === DEFLATED) {
        try {
          budget -= inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
        } catch (error) {
          if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return 'too_large';
          throw error;
        }
      } else return 'malformed';
      if (budget < 0) return 'too_large';
    }
    return 'within';
  } catch {
    // Offsets that point outside the file, data that does not inflate: not a ZIP anyone can read.
    return 'malformed';
  }
}
