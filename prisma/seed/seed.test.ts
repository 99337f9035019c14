import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyRules } from '../../domain/body-rules';
import { DEFAULT_RULES } from '../../domain/defaults';
import { BodyKind } from '../../domain/kinds';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { seedCremasco } from './index';
import { dumpSeededTables } from './test-dump';

describe('seedCremasco', () => {
  let db: TestDatabase;
  let firstDump: Record<string, unknown[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedCremasco(db.prisma);
    firstDump = await dumpSeededTables(db.prisma);
  });
  afterAll(() => db.cleanup());

  it('seeds the 48 comuni, their aliases and the 6 sub-ambiti with lead comuni', async () => {
    const ambito = await db.prisma.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } });
    expect(ambito.name).toBe('Ambito Distrettuale Cremasco');
    expect(await db.prisma.comune.count()).toBe(48);
    const gombito = await db.prisma.comuneAlias.findFirstOrThrow({
      where: { alias: 'Gomito' },
      include: { comune: true },
    });
    expect(gombito.comune.name).toBe('Gombito');

    const subAmbiti = await db.prisma.subAmbito.findMany({
      orderBy: { number: 'asc' },
      include: { leadComune: true, memberships: true },
    });
    expect(subAmbiti.map((s) => [s.number, s.leadComune.name, s.memberships.length])).toEqual([
      [1, 'Pandino', 7],
      [2, 'Sergnano', 13],
      [3, 'Bagnolo Cremasco', 8],
      [4, 'Soncino', 11],
      [5, 'Castelleone', 8],
      [6, 'Crema', 1],
    ]);
    const memberships = await db.prisma.subAmbitoMembership.findMany();
    expect(new Set(memberships.map((m) => m.comuneId)).size).toBe(48);
    expect(
      memberships.every(
        (m) => m.validFrom.toISOString() === '2018-07-01T00:00:00.000Z' && m.validTo === null,
      ),
    ).toBe(true);
  });

  it('seeds the organisations with Comune di Crema as ente capofila', async () => {
    const capofila = await db.prisma.organisation.findMany({ where: { isEnteCapofila: true } });
    expect(capofila.map((o) => o.name)).toEqual(['Comune di Crema']);
    expect(await db.prisma.organisation.count({ where: { kind: 'comune' } })).toBe(48);
    for (const kind of ['ats', 'asst', 'csc', 'terzo_settore', 'scuola'] as const) {
      expect(await db.prisma.organisation.count({ where: { kind } })).toBeGreaterThan(0);
    }
  });

  it('seeds every body of the 2018 agreement with the default rules of its kind', async () => {
    const bodies = await db.prisma.body.findMany({
      include: { seats: true, convenerOrganisation: true, spansAmbiti: true },
    });
    expect(bodies).toHaveLength(13);
    for (const kind of BodyKind.options) expect(bodies.some((b) => b.kind === kind)).toBe(true);
    for (const body of bodies) expect(BodyRules.parse(body.rules)).toEqual(DEFAULT_RULES[body.kind]);

    const seats = (code: string) => bodies.find((b) => b.code === code)!.seats;
    expect(seats('assemblea-sindaci')).toHaveLength(48);
    expect(seats('comitato-ristretto')).toHaveLength(12 + 4);
    expect(
      seats('sovraintendenza')
        .map((s) => s.code)
        .sort(),
    ).toEqual(['sindaco-designato:1', 'sindaco-designato:2', 'sindaco:crema']);
    const subAmbitoSeats = bodies.filter((b) => b.kind === 'assemblea_sub_ambito').map((b) => b.seats.length);
    expect(subAmbitoSeats.sort((a, b) => a - b)).toEqual([1, 7, 8, 8, 11, 13]);
    expect(seats('udp-integrato').filter((s) => s.code.startsWith('rappresentante:'))).toHaveLength(10);

    const cabina = bodies.find((b) => b.kind === 'cabina_di_regia')!;
    expect(cabina.convenerOrganisation?.name).toBe('ATS Val Padana');
    expect(cabina.spansAmbiti).toHaveLength(1);
  });

  it('fills every seat with a placeholder person at example.org, the same mayor on every body', async () => {
    const memberships = await db.prisma.membership.findMany({ include: { person: true } });
    expect(memberships.length).toBe(await db.prisma.seat.count());
    const people = await db.prisma.person.findMany();
    expect(
      people.every(
        (p) => p.isPlaceholder && p.email.endsWith('@example.org') && p.fullName.endsWith('(segnaposto)'),
      ),
    ).toBe(true);
    const pandino = await db.prisma.person.findUniqueOrThrow({
      where: { email: 'sindaco.pandino@example.org' },
      include: { memberships: { include: { seat: { include: { body: true } } } } },
    });
    expect(pandino.fullName).toBe('Sindaco di Pandino (segnaposto)');
    expect(pandino.memberships.map((m) => m.seat.body.code).sort()).toEqual([
      'assemblea-sindaci',
      'sub-ambito-1',
    ]);
  });

  it('seeds the annual deliverables and the Piano di Zona 2021-2023 objectives', async () => {
    const types = await db.prisma.deliverableType.findMany({ include: { approverBody: true } });
    expect(types.map((t) => t.kind).sort()).toEqual([
      'aggiornamento_semestrale',
      'piano_operativo',
      'report_annuale',
    ]);
    expect(types.find((t) => t.kind === 'report_annuale')?.approverBody?.code).toBe('assemblea-sindaci');

    expect(await db.prisma.objective.count()).toBe(23);
    expect(await db.prisma.indicator.count()).toBe(28);
    const target = await db.prisma.indicatorTarget.findFirstOrThrow({
      where: { indicator: { key: '1.1-a' }, period: { key: 'year2' } },
    });
    expect([target.raw, target.comparator, target.numericValue?.toString()]).toEqual([
      'Almeno il 70%',
      'gte',
      '70',
    ]);
  });

  it('changes nothing when run again', async () => {
    await seedCremasco(db.prisma);
    expect(await dumpSeededTables(db.prisma)).toEqual(firstDump);
  });
});
