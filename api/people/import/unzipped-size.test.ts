import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zipOf } from '../../../tests/support/zip';
import { MAX_UNZIPPED_BYTES, unzippedSize } from './unzipped-size';

const zeros = (bytes: number) => Buffer.alloc(bytes);

describe('unzippedSize', () => {
  it('lets a real spreadsheet through, stored or deflated entries alike', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Persone').addRow(['Persona', 'E-mail']);
    expect(unzippedSize(Buffer.from(await workbook.xlsx.writeBuffer()))).toBe('within');
    const mixed = zipOf([
      { name: 'a.xml', data: Buffer.from('<a/>'), stored: true },
      { name: 'b.xml', data: Buffer.from('<b/>'.repeat(1000)) },
    ]);
    expect(unzippedSize(mixed)).toBe('within');
  });

  it('refuses a small file that inflates past the limit, whatever sizes it declares', () => {
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: zeros(MAX_UNZIPPED_BYTES + 1) }]);
    expect(bomb.length).toBeLessThan(100_000);
    expect(unzippedSize(bomb)).toBe('too_large');
    const liar = zipOf([
      { name: 'xl/worksheets/sheet1.xml', data: zeros(MAX_UNZIPPED_BYTES + 1), declaredSize: 10 },
    ]);
    expect(unzippedSize(liar)).toBe('too_large');
  });

  it('counts every entry towards one limit', () => {
    const half = Math.ceil(MAX_UNZIPPED_BYTES / 2) + 1;
    const entries = [0, 1].map((i) => ({ name: `part${i}.xml`, data: zeros(half) }));
    expect(unzippedSize(zipOf(entries.slice(0, 1)))).toBe('within');
    expect(unzippedSize(zipOf(entries))).toBe('too_large');
  });

  it('calls anything else malformed: no directory, cut short, data that does not inflate', () => {
    const good = zipOf([{ name: 'a.xml', data: Buffer.from('<a/>'.repeat(100)) }]);
    expect(unzippedSize(Buffer.from('PK\u0003\u0004 nient’altro'))).toBe('malformed');
    expect(unzippedSize(good.subarray(0, good.length - 30))).toBe('malformed');
    const garbled = Buffer.from(good);
    garbled.fill(0xff, 34, 44); // inside the deflated data of the only entry
    expect(unzippedSize(garbled)).toBe('malformed');
  });
});
