import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { readCsv } from './read-back';

describe('toCsv: text that Excel would run as a formula', () => {
  const csvOf = (cells: (string | number)[]) =>
    readCsv(
      toCsv({
        name: 't',
        columns: cells.map((cell, i) => ({
          header: `c${i}`,
          kind: typeof cell === 'number' ? ('integer' as const) : ('text' as const),
        })),
        rows: [cells],
      }),
    )[1];

  it.each(['=1+1', '+39 0373 1234', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1'])(
    'a text cell beginning like %j gets an apostrophe before it',
    (text) => {
      expect(csvOf([text])).toEqual([`'${text}`]);
    },
  );

  it('other text, and numbers (negative ones too), are written as they are', () => {
    expect(csvOf(['Ada Bonì', "L'Assessora = delegata", 'a-b', -3, 0])).toEqual([
      'Ada Bonì',
      "L'Assessora = delegata",
      'a-b',
      '-3',
      '0',
    ]);
  });
});
