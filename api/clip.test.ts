import { expect, it } from 'vitest';
import { clip } from './clip';

it('cuts before a character outside the BMP rather than through it', () => {
  expect(clip('ab📄cd', 3)).toBe('ab');
  expect(clip('ab📄cd', 4)).toBe('ab📄');
  expect(clip('ab📄cd', 10)).toBe('ab📄cd');
  expect(clip('àè', 1)).toBe('à');
});
