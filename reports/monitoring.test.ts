import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCompliance, DEFAULT_RULES, type Finding, type MeetingRecord } from '../domain/index';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { monitoringReport } from './monitoring';

describe('monitoringReport: compliance findings of the year', () => {
  let db: TestDatabase;
  let ambitoId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const ambito = await db.prisma.ambito.create({ data: { code: 'monitoraggio', name: 'Ambito di prova' } });
    ambitoId = ambito.id;
    const body = await db.prisma.body.create({
      data: {
        ambitoId,
        code: 'cabina-di-regia',
        kind: 'cabina_di_regia',
        name: 'Cabina di Regia Integrata',
        convenerRole: 'ATS',
        rules: DEFAULT_RULES.cabina_di_regia,
      },
    });
    // "almeno quadrimestrale" (000:L856): 2026 is in order, then nothing from 4 November 2026 until
    // 14 April 2027, over the 4-month limit of 4 March 2027.
    const days = ['2026-03-11', '2026-07-08', '2026-11-04', '2027-04-14'];
    for (const day of days) {
      await db.prisma.meeting.create({
        data: {
          bodyId: body.id,
          plannedDateKey: day,
          status: 'held',
          startsAt: new Date(`${day}T09:00:00Z`),
          endsAt: new Date(`${day}T12:00:00Z`),
        },
      });
    }
    const records: MeetingRecord[] = days.map((d) => ({
      bodyId: body.id,
      start: `${d}T09:00:00Z`,
      status: 'held',
    }));
    const rules = { id: body.id, name: body.name, rules: DEFAULT_RULES.cabina_di_regia };
    // The monitor's checks through early 2027, stored as activities/planning.ts stores them: the finding as
    // data, once per action and period; last year's findings only as breaches.
    const stored = new Set<string>();
    for (const now of ['2027-01-15', '2027-03-01', '2027-03-15', '2027-04-15']) {
      for (const year of [2026, 2027]) {
        const findings: Finding[] = checkCompliance([rules], records, { year, now: `${now}T09:00:00Z` });
        for (const f of findings) {
          if (year === 2026 && f.severity !== 'breach') continue;
          const action = `compliance.${f.severity}`;
          if (stored.has(`${action} ${f.period}`)) continue;
          stored.add(`${action} ${f.period}`);
          await db.prisma.auditEvent.create({
            data: { actor: 'workflow:compliance', action, entity: 'body', entityId: body.id, data: { ...f } },
          });
        }
      }
    }
    expect([...stored]).toEqual([
      'compliance.warning 2026-11-04/2027-03-04',
      'compliance.breach 2026-11-04/2027-03-04',
    ]);
  });
  afterAll(() => db.cleanup());

  it('reports a gap that ran out in March 2027 in the 2027 monitoring, not in the 2026 one', async () => {
    const of = async (year: number) => (await monitoringReport(db.prisma, { ambitoId, year })).bodies[0]!;
    const y2027 = await of(2027);
    expect(y2027.breaches.map((b) => b.period)).toEqual(['2026-11-04/2027-03-04']);
    expect(y2027.warnings).toBe(1);
    const y2026 = await of(2026);
    expect(y2026.breaches).toEqual([]);
    expect(y2026.warnings).toBe(0);
    expect([y2026.held, y2027.held]).toEqual([3, 1]);
  });
});
