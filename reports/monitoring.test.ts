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

describe('monitoringReport: stage deadlines follow the sessions as they were held', () => {
  let db: TestDatabase;
  let ambitoId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ambitoId = (await db.prisma.ambito.create({ data: { code: 'sessioni', name: 'Ambito delle sessioni' } }))
      .id;
    const body = (code: string, kind: 'assemblea_sindaci' | 'comitato_ristretto', name: string) =>
      db.prisma.body.create({
        data: { ambitoId, code, kind, name, convenerRole: 'prova', rules: DEFAULT_RULES[kind] },
      });
    const assemblea = await body('assemblea-sindaci', 'assemblea_sindaci', 'Assemblea dei Sindaci');
    await body('comitato-ristretto', 'comitato_ristretto', 'Comitato Ristretto');
    // The April Assemblea (third Thursday: 15 April 2027) was moved to 29 April and approved the Report
    // annuale 2026 that evening, within "entro il mese di aprile successivo all'anno di riferimento" (000:L919).
    await db.prisma.meeting.create({
      data: {
        bodyId: assemblea.id,
        plannedDateKey: '2027-04-15',
        status: 'closed',
        revision: 1,
        startsAt: new Date('2027-04-29T16:00:00Z'),
        endsAt: new Date('2027-04-29T18:00:00Z'),
      },
    });
    await db.prisma.deliverable.create({
      data: {
        ambitoId,
        kind: 'report_annuale',
        referenceYear: 2026,
        referencePeriod: '2026',
        stage: 'completed',
        status: 'approved',
        ownerRole: 'Responsabile UdP',
        dueDate: new Date('2027-04-30T00:00:00Z'),
        events: {
          create: [{ kind: 'submitted', stage: 'ads_approval', at: new Date('2027-04-29T18:00:00Z') }],
        },
      },
    });
  });
  afterAll(() => db.cleanup());

  it('ties the approval to the Assemblea as moved, so a Report approved on 29 April is not late', async () => {
    const report = await monitoringReport(db.prisma, { ambitoId, year: 2027 });
    const approval = report.deliverables[0]!.stages.find((s) => s.stage === 'ads_approval')!;
    expect(approval).toMatchObject({ dueDate: '2027-04-29', completedOn: '2027-04-29', daysLate: 0 });
  });
});

describe('monitoringReport: verbali late', () => {
  let db: TestDatabase;
  let ambitoId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ambitoId = (await db.prisma.ambito.create({ data: { code: 'verbali', name: 'Ambito dei verbali' } })).id;
    // "verbalizzazione e diffusione dei contenuti emersi e delle decisioni assunte" (000:L371): the
    // Comitato Ristretto's verbale is due 15 days after the meeting.
    const body = await db.prisma.body.create({
      data: {
        ambitoId,
        code: 'comitato-ristretto',
        kind: 'comitato_ristretto',
        name: 'Comitato Ristretto',
        convenerRole: 'prova',
        rules: DEFAULT_RULES.comitato_ristretto,
      },
    });
    const session = (day: string, due: string, submitted: string | null) =>
      db.prisma.meeting.create({
        data: {
          bodyId: body.id,
          plannedDateKey: day,
          status: 'held',
          startsAt: new Date(`${day}T17:00:00Z`),
          endsAt: new Date(`${day}T19:00:00Z`),
          verbale: {
            create: {
              dueDate: new Date(`${due}T00:00:00Z`),
              submittedAt: submitted ? new Date(`${submitted}T10:00:00Z`) : null,
            },
          },
        },
      });
    await session('2027-01-12', '2027-01-27', '2027-01-20'); // on time
    await session('2027-02-02', '2027-02-17', null); // due 17 February, still missing on 1 March
    await session('2027-02-23', '2027-03-10', null); // not due yet on 1 March
  });
  afterAll(() => db.cleanup());

  it('counts a verbale past its due day and still missing as late, by the days it has been missing', async () => {
    const report = await monitoringReport(db.prisma, {
      ambitoId,
      year: 2027,
      now: new Date('2027-03-01T10:00:00Z'),
    });
    expect(report.bodies[0]!.minutes).toMatchObject({ due: 3, submitted: 1, late: 1, maxDaysLate: 12 });
  });
});
