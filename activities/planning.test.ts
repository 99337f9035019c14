/** The compliance monitor's activity on real Postgres: what it judges from the meetings stored. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_RULES, HolidayCalendar } from '../domain/index';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import type { ActivityDeps } from './context';
import { createPlanningActivities } from './planning';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

it('counts a Cabina di Regia gap from the last session of the year before, even one held before December', async () => {
  const ambito = await db.prisma.ambito.create({ data: { code: 'cabina', name: 'Ambito della Cabina' } });
  const body = await db.prisma.body.create({
    data: {
      ambitoId: ambito.id,
      code: 'cabina-di-regia',
      kind: 'cabina_di_regia',
      name: 'Cabina di Regia Integrata',
      convenerRole: 'ATS',
      rules: DEFAULT_RULES.cabina_di_regia,
    },
  });
  // "con cadenza almeno quadrimestrale" (000:L856): 2026's sessions to September, December's cancelled, so
  // from 9 September 2026 the limit of four months ran out on 9 January 2027.
  const session = (day: string, status: 'held' | 'cancelled') =>
    db.prisma.meeting.create({
      data: {
        bodyId: body.id,
        plannedDateKey: day,
        status,
        startsAt: new Date(`${day}T09:00:00Z`),
        endsAt: new Date(`${day}T12:00:00Z`),
      },
    });
  await session('2026-03-11', 'held');
  await session('2026-06-10', 'held');
  await session('2026-09-09', 'held');
  await session('2026-12-09', 'cancelled');
  const act = createPlanningActivities({
    prisma: db.prisma,
    holidays: new HolidayCalendar(),
    publicBaseUrl: 'http://localhost',
  } as ActivityDeps);
  const { findings } = await act.checkCompliance(
    ambito.id,
    '2027-01-15T09:00:00+01:00',
    '2026-01-01T00:00:00+01:00',
  );
  expect(findings.map((f) => `${f.rule} ${f.period} ${f.severity}`)).toEqual([
    'max_gap 2026-09-09/2027-01-09 breach',
  ]);
});
