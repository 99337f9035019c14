import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { seedCremasco } from './index';
import { dumpSeededTables } from './test-dump';

/** Numbered copies of the district, for benchmarks with many districts, beside the original. */
describe('seedCremasco({ copy })', () => {
  let db: TestDatabase;
  let seeded: Record<string, unknown[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedCremasco(db.prisma);
    await seedCremasco(db.prisma, { copy: 1 });
    await seedCremasco(db.prisma, { copy: 2 });
    seeded = await dumpSeededTables(db.prisma);
  });
  afterAll(() => db.cleanup());

  it('adds one ambito per copy, numbered, beside the original', async () => {
    const ambiti = await db.prisma.ambito.findMany({ orderBy: { code: 'asc' } });
    expect(ambiti.map((a) => [a.code, a.name])).toEqual([
      ['cremasco', 'Ambito Distrettuale Cremasco'],
      ['cremasco-1', 'Ambito Distrettuale Cremasco (copia 1)'],
      ['cremasco-2', 'Ambito Distrettuale Cremasco (copia 2)'],
    ]);
  });

  it('gives each copy the whole district: comuni, sub-ambiti, bodies, seats and deliverables', async () => {
    const shape = async (code: string) => {
      const bodies = await db.prisma.body.findMany({
        where: { ambito: { code } },
        include: { _count: { select: { seats: true } } },
        orderBy: { code: 'asc' },
      });
      return {
        comuni: await db.prisma.comune.count({ where: { ambito: { code } } }),
        subAmbiti: await db.prisma.subAmbito.count({ where: { ambito: { code } } }),
        bodies: bodies.map((b) => [b.code, b.name, b._count.seats]),
        deliverableTypes: await db.prisma.deliverableType.count({ where: { ambito: { code } } }),
        objectives: await db.prisma.objective.count({ where: { plan: { ambito: { code } } } }),
      };
    };
    const original = await shape('cremasco');
    expect(original.comuni).toBe(48);
    expect(original.bodies).toHaveLength(13);
    expect(await shape('cremasco-2')).toEqual(original);
  });

  it('tags placeholder addresses and ambito organisations by copy, sharing only the ATS', async () => {
    const pandino = await db.prisma.person.findUniqueOrThrow({
      where: { email: 'sindaco.pandino+c2@example.org' },
      include: {
        organisation: true,
        memberships: { include: { seat: { include: { body: { include: { ambito: true } } } } } },
      },
    });
    expect(pandino.organisation?.name).toBe('Comune di Pandino (copia 2)');
    expect(pandino.memberships.map((m) => `${m.seat.body.ambito.code}/${m.seat.body.code}`).sort()).toEqual([
      'cremasco-2/assemblea-sindaci',
      'cremasco-2/sub-ambito-1',
    ]);
    const capofila = await db.prisma.organisation.findMany({
      where: { isEnteCapofila: true },
      orderBy: { name: 'asc' },
    });
    expect(capofila.map((o) => o.name)).toEqual([
      'Comune di Crema',
      'Comune di Crema (copia 1)',
      'Comune di Crema (copia 2)',
    ]);
    expect(await db.prisma.organisation.count({ where: { kind: 'ats' } })).toBe(1);
    expect(await db.prisma.organisation.count({ where: { kind: 'asst' } })).toBe(3);
    const cabine = await db.prisma.body.findMany({
      where: { code: 'cabina-di-regia' },
      include: { convenerOrganisation: true },
    });
    expect(cabine.map((c) => c.convenerOrganisation?.name)).toEqual(Array(3).fill('ATS Val Padana'));
    const perCopy = await db.prisma.person.count({ where: { email: { endsWith: '+c1@example.org' } } });
    expect(perCopy).toBeGreaterThan(48); // every mayor and more
    expect(await db.prisma.person.count()).toBe(3 * perCopy);
  });

  it('changes nothing when a copy or the original is seeded again', async () => {
    await seedCremasco(db.prisma, { copy: 2 });
    await seedCremasco(db.prisma);
    expect(await dumpSeededTables(db.prisma)).toEqual(seeded);
  });

  it('refuses a copy number that is not a positive integer, changing nothing', async () => {
    for (const copy of [0, -1, 1.5]) {
      await expect(seedCremasco(db.prisma, { copy })).rejects.toThrow(/Numero di copia non valido/);
    }
    expect(await dumpSeededTables(db.prisma)).toEqual(seeded);
  });
});
