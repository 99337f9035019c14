/**
 * The reconciler's reading of what must run, on real Postgres. Its reads are held apart on purpose (a query
 * extension delays one of them) so that a district commits in between, as it can on a busy machine.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PrismaClient } from '../prisma/client';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { createDistrict } from '../tests/workflows/fixture';
import { listLiveObjects } from './live';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

it('reads one moment of the database: a district committed between its reads is wholly out, then wholly in', async () => {
  const before = await listLiveObjects(db.prisma);
  let meetingsRead!: () => void;
  const afterMeetings = new Promise<void>((resolve) => (meetingsRead = resolve));
  let letAmbitiGo!: () => void;
  const ambitiMayGo = new Promise<void>((resolve) => (letAmbitiGo = resolve));
  const slowAmbiti = db.prisma.$extends({
    query: {
      meeting: {
        async findMany({ args, query }) {
          const rows = await query(args);
          meetingsRead();
          return rows;
        },
      },
      ambito: {
        async findMany({ args, query }) {
          await ambitiMayGo;
          return query(args);
        },
      },
    },
  });

  // The extended client's types differ from PrismaClient's, its queries do not.
  const reading = listLiveObjects(slowAmbiti as unknown as PrismaClient);
  await afterMeetings;
  const district = await db.prisma.$transaction((tx) => createDistrict(tx));
  letAmbitiGo();
  // Read apart, the ambito showed up without its bodies: the reconciler started the annual cycle alone.
  expect(await reading).toEqual(before);

  const now = await listLiveObjects(db.prisma);
  expect(now.ambiti).toEqual(expect.arrayContaining([...before.ambiti, district.ambitoId]));
  expect(now.seriesBodies).toEqual(expect.arrayContaining([district.bodies.cr]));
});
