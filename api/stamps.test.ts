/**
 * stampedCache keeps an answer while its stamp stays and until the instant its computation gave, computes
 * once for requests arriving together, and keeps neither a failure nor an answer not worth keeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { readStamp, stampedCache } from './stamps';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.cleanup();
});

function counted(result: () => { value: string; until?: number }) {
  let calls = 0;
  const compute = async () => {
    calls++;
    return result();
  };
  return { compute, calls: () => calls };
}

describe('stampedCache', () => {
  it('keeps an answer until its stamp changes, and until the instant it gave', async () => {
    const get = stampedCache<string>('access', 10);
    const db = database.prisma;
    const source = counted(() => ({ value: 'ruoli', until: 2_000 }));
    const both = await Promise.all([
      get(db, 'k', 1_000, source.compute),
      get(db, 'k', 1_000, source.compute),
    ]);
    expect(both).toEqual(['ruoli', 'ruoli']);
    expect(await get(db, 'k', 1_999, source.compute)).toBe('ruoli');
    expect(source.calls()).toBe(1);

    expect(await get(db, 'k', 2_000, source.compute)).toBe('ruoli');
    expect(source.calls()).toBe(2);

    const before = await readStamp(db, 'access');
    await db.person.create({ data: { fullName: 'Nuova Persona', email: 'nuova.persona@example.org' } });
    expect(await readStamp(db, 'access')).not.toBe(before);
    await get(db, 'k', 1_000, source.compute);
    expect(source.calls()).toBe(3);
  });

  it('keeps neither a failed computation nor an answer that expires at once', async () => {
    const get = stampedCache<string>('access', 10);
    const db = database.prisma;
    let fail = true;
    const flaky = async () => {
      if (fail) throw new Error('Postgres non risponde');
      return { value: 'ok' };
    };
    await expect(get(db, 'f', 1_000, flaky)).rejects.toThrow('Postgres non risponde');
    fail = false;
    expect(await get(db, 'f', 1_000, flaky)).toBe('ok');

    const unknown = counted(() => ({ value: 'nessuno', until: 1_000 }));
    await get(db, 'u', 1_000, unknown.compute);
    await get(db, 'u', 1_000, unknown.compute);
    expect(unknown.calls()).toBe(2);
  });

  it('holds at most its limit of answers, dropping the oldest', async () => {
    const get = stampedCache<string>('access', 2);
    const db = database.prisma;
    const source = counted(() => ({ value: 'x' }));
    for (const key of ['a', 'b', 'c', 'a']) await get(db, key, 0, source.compute);
    expect(source.calls()).toBe(4);
  });
});
