/** The deliverable workflow's plan (reminders, ladder) as the activity computes it, on real Postgres. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HolidayCalendar } from '../domain/index';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { createDeliverable, createDistrict, type District } from '../tests/workflows/fixture';
import type { ActivityDeps } from './context';
import { createDeliverableActivities } from './deliverables';

let db: TestDatabase;
let district: District;
beforeAll(async () => {
  db = await createTestDatabase();
  district = await createDistrict(db.prisma);
});
afterAll(() => db.cleanup());

it('reminds of the semestral update but never escalates it: the agreement calls it "possibile e opportuno"', async () => {
  const deps = {
    prisma: db.prisma,
    holidays: new HolidayCalendar(),
    publicBaseUrl: 'http://localhost',
  } as ActivityDeps;
  const act = createDeliverableActivities(deps);
  const create = (kind: 'aggiornamento_semestrale' | 'report_annuale', period: string, due: string) =>
    createDeliverable(db.prisma, district.ambitoId, kind, period, due).then((d) => act.planDeliverable(d.id));
  const update = await create('aggiornamento_semestrale', '2027-S1', '2027-07-31');
  expect(update.reminders.length).toBeGreaterThan(0);
  expect(update.ladder).toEqual([]);
  // The mandatory deliverables keep the whole ladder.
  const report = await create('report_annuale', '2026', '2027-04-30');
  expect(report.ladder.map((s) => s.level)).toEqual([1, 2, 3]);
});
