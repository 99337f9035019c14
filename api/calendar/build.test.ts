/**
 * The built-calendar cache is exact: the planning stamp (api/stamps.ts, Stamp in schema.prisma) changes in the
 * commit of any write the calendar depends on, whoever makes it (here: plain SQL and Prisma behind the
 * service's back), and only then; a calendar read after a write shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCremasco } from '../../prisma/seed';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { readStamp } from '../stamps';
import { buildCalendar } from './build';

let database: TestDatabase;
/** A second connection pool: what another process sees while the first one's transaction is open. */
let other: PrismaClient;
let ambitoId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  other = createPrismaClient(database.url);
  ambitoId = (await database.prisma.ambito.findFirstOrThrow()).id;
});

afterAll(async () => {
  await other?.$disconnect();
  await database?.cleanup();
});

const stamp = (db: PrismaClient = other) => readStamp(db, 'planning');

describe('the planning stamp', () => {
  it('changes when a transaction writing a meeting commits, not while it is open', async () => {
    const before = await stamp();
    const body = await database.prisma.body.findFirstOrThrow({ where: { code: 'comitato-ristretto' } });
    let seenInside = '';
    await database.prisma.$transaction(async (tx) => {
      await tx.meeting.create({
        data: {
          bodyId: body.id,
          plannedDateKey: '2027-06-30',
          startsAt: new Date('2027-06-30T08:00:00Z'),
          endsAt: new Date('2027-06-30T10:00:00Z'),
          place: 'Crema',
        },
      });
      seenInside = await stamp();
    });
    expect(seenInside).toBe(before);
    expect(await stamp()).not.toBe(before);
  });

  it('stays when the transaction rolls back, or when it writes nothing the calendar reads', async () => {
    const before = await stamp();
    await expect(
      database.prisma.$transaction(async (tx) => {
        await tx.meeting.updateMany({ data: { place: 'Cremona' } });
        throw new Error('annullata');
      }),
    ).rejects.toThrow('annullata');
    await database.prisma.person.updateMany({
      where: { email: { contains: '@' } },
      data: { language: 'it' },
    });
    expect(await stamp()).toBe(before);
  });

  it('changes with every table the calendar is computed from, and with TRUNCATE', async () => {
    const writes = [
      `UPDATE "Body" SET "updatedAt" = now() WHERE code = 'comitato-ristretto'`,
      `INSERT INTO "MeetingSeries" ("bodyId", name, "updatedAt") SELECT id, 'Serie', now() FROM "Body" LIMIT 1`,
      `UPDATE "LocalFeastDay" SET "name" = "name"`,
      `UPDATE "BodyAmbito" SET "ambitoId" = "ambitoId"`,
      `TRUNCATE "Meeting" CASCADE`,
    ];
    for (const sql of writes) {
      const before = await stamp();
      await database.prisma.$executeRawUnsafe(sql);
      expect(await stamp(), sql).not.toBe(before);
    }
  });
});

describe('buildCalendar', () => {
  it('shows a meeting moved by a write made behind its back, on the next call', async () => {
    const request = { ambitoId, from: '2027-01-01', to: '2027-12-31' };
    const first = await buildCalendar(database.prisma, request);
    expect(await buildCalendar(database.prisma, request)).toBe(first);

    const march = first.find((e) => e.type === 'meeting' && e.plannedDate.startsWith('2027-03'));
    if (march?.type !== 'meeting') throw new Error('nessuna seduta a marzo 2027');
    await other.meeting.create({
      data: {
        bodyId: march.bodyId,
        plannedDateKey: march.plannedDate,
        startsAt: new Date('2027-03-31T14:00:00Z'),
        endsAt: new Date('2027-03-31T16:00:00Z'),
        place: 'Crema',
      },
    });

    const after = await buildCalendar(database.prisma, request);
    const moved = after.find(
      (e) => e.type === 'meeting' && e.bodyId === march.bodyId && e.plannedDate === march.plannedDate,
    );
    expect(moved).toMatchObject({ start: '2027-03-31T16:00:00+02:00', status: 'moved' });
  });
});
