import { expect, it } from 'vitest';
import { COLUMN_HEADER, COLUMNS } from './columns';
import { readSpreadsheet } from './read';

const csv = (cells: string[]) =>
  Buffer.from([COLUMNS.map((c) => COLUMN_HEADER[c.key]), cells].map((row) => row.join(';')).join('\n'));

it('clips a cell to 500 characters without cutting a character outside the BMP in half', async () => {
  const name = `${'a'.repeat(499)}📅 e il resto`;
  const [row] = await readSpreadsheet(csv([name, 'a@b.it', '', '', '', '']));
  expect(row!.persona).toBe('a'.repeat(499));
  expect(row!.persona.isWellFormed()).toBe(true);
  const [whole] = await readSpreadsheet(csv([`${'a'.repeat(498)}📅 e il resto`, 'a@b.it', '', '', '', '']));
  expect(whole!.persona).toBe(`${'a'.repeat(498)}📅`);
});
