import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './defaults';
import { CREMA_LOCAL_FEASTS, HolidayCalendar, italianHolidays } from './holidays';
import type { BodyKind } from './kinds';
import { planRange, planYear, type PlanBody } from './plan';
import { dateOf, instant, instantMs, weekdayOf } from './time';

const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);
const body = (id: string, kind: BodyKind, name = id): PlanBody => ({
  id,
  kind,
  name,
  rules: DEFAULT_RULES[kind],
});

/** The Cremasco bodies that have a cadence: 6 sub-ambito assemblies, Comitato Ristretto, Cabina di Regia, Assemblea. */
const CREMASCO: PlanBody[] = [
  ...[1, 2, 3, 4, 5, 6].map((n) => body(`sa${n}`, 'assemblea_sub_ambito', `Assemblea del sub-ambito ${n}`)),
  body('cr', 'comitato_ristretto', 'Comitato Ristretto'),
  body('cdr', 'cabina_di_regia', 'Cabina di Regia Integrata'),
  body('ads', 'assemblea_sindaci', 'Assemblea dei Sindaci'),
  body('udp', 'udp_nucleo_operativo', 'UdP Nucleo Operativo'), // no cadence: planned by hand
];

describe('the default plan of 2027 for the Cremasco district (issue 2, "Done when")', () => {
  const plan = planYear(2027, CREMASCO, [], { holidays });
  const of = (id: string) => plan.meetings.filter((m) => m.bodyId === id);

  it('has 12 Comitato Ristretto meetings, one in each calendar month', () => {
    expect(of('cr')).toHaveLength(12);
    expect(new Set(of('cr').map((m) => dateOf(m.start).slice(0, 7))).size).toBe(12);
  });

  it('has at least 4 meetings for each sub-ambito', () => {
    for (let n = 1; n <= 6; n++) expect(of(`sa${n}`).length).toBeGreaterThanOrEqual(4);
  });

  it('never leaves more than 4 months between Cabina di Regia meetings, from the last one of 2026 on', () => {
    const starts = [...planYear(2026, CREMASCO, [], { holidays }).meetings, ...plan.meetings]
      .filter((m) => m.bodyId === 'cdr')
      .map((m) => instant(m.start));
    expect(starts.length).toBeGreaterThanOrEqual(4 + 3);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]! <= starts[i - 1]!.plus({ months: 4 })).toBe(true);
    }
    expect(instant('2027-12-31T23:59:59+01:00') <= starts.at(-1)!.plus({ months: 4 })).toBe(true);
  });

  it('marks the Assemblea sessions approving the Report annuale 2026 and the Piano Operativo 2028 in time', () => {
    const report = plan.meetings.filter((m) =>
      m.approves.some((a) => a.kind === 'report_annuale' && a.year === 2026),
    );
    const piano = plan.meetings.filter((m) =>
      m.approves.some((a) => a.kind === 'piano_operativo' && a.year === 2028),
    );
    expect(report).toHaveLength(1);
    expect(piano).toHaveLength(1);
    expect(report[0]).toMatchObject({ bodyId: 'ads', start: '2027-04-15T18:00:00+02:00' });
    expect(piano[0]).toMatchObject({ bodyId: 'ads', start: '2027-12-16T18:00:00+01:00' });
    expect(dateOf(report[0]!.start) <= '2027-04-30').toBe(true);
    expect(dateOf(piano[0]!.start) <= '2027-12-31').toBe(true);
    // Only Assemblea sessions approve anything.
    expect(
      plan.meetings.filter((m) => m.approves.length > 0).every((m) => m.bodyKind === 'assemblea_sindaci'),
    ).toBe(true);
  });

  it("puts no meeting on a weekend, a national holiday or Crema's patron feast", () => {
    const closed = new Set(italianHolidays(2027, CREMA_LOCAL_FEASTS).map((h) => h.date));
    expect(plan.meetings.length).toBe(12 + 6 * 4 + 4 + 3);
    for (const m of plan.meetings) {
      const day = dateOf(m.start);
      expect(weekdayOf(day), `${m.bodyId} ${day}`).toBeLessThanOrEqual(5);
      expect(closed.has(day), `${m.bodyId} ${day}`).toBe(false);
    }
  });

  it('gives every meeting ISO start/end with the Rome offset and a convocation deadline on a working day at 09:00', () => {
    for (const m of plan.meetings) {
      expect(m.start).toMatch(/^2027-\d{2}-\d{2}T\d{2}:00:00\+0[12]:00$/);
      expect(instantMs(m.end)).toBeGreaterThan(instantMs(m.start));
      expect(m.convocationDeadline).toMatch(/T09:00:00\+0[12]:00$/);
      expect(holidays.isWorkingDay(dateOf(m.convocationDeadline))).toBe(true);
    }
    // CR of 7 November 2028: 6 days before is 1 November (Ognissanti), so the convocation leaves on 31 October.
    const november2028 = planYear(2028, CREMASCO, [], { holidays }).meetings.find(
      (m) => m.bodyId === 'cr' && m.plannedDate === '2028-11-07',
    );
    expect(november2028?.convocationDeadline).toBe('2028-10-31T09:00:00+01:00');
    // Cabina di Regia of 8 December (Immacolata) moves to Thursday 9 December.
    expect(of('cdr').find((m) => m.plannedDate === '2027-12-08')).toMatchObject({
      start: '2027-12-09T10:00:00+01:00',
      shiftedBecause: 'Immacolata Concezione',
    });
  });

  it('lists the deliverables due in 2027 with stage deadlines tied to the meetings', () => {
    expect(plan.deadlines.map((d) => [d.label, d.dueDate])).toEqual([
      ['Report annuale 2026', '2027-04-30'],
      ['Aggiornamento semestrale 2027', '2027-07-31'],
      ['Piano Operativo 2028', '2027-12-31'],
    ]);
    expect(plan.deadlines[2]!.stages).toEqual([
      { stage: 'draft', by: 'udp', dueDate: '2027-12-01' },
      {
        stage: 'review',
        by: 'comitato_ristretto',
        dueDate: '2027-12-07',
        meeting: { bodyId: 'cr', start: '2027-12-07T18:00:00+01:00' },
      },
      {
        stage: 'approval',
        by: 'assemblea_sindaci',
        dueDate: '2027-12-16',
        meeting: { bodyId: 'ads', start: '2027-12-16T18:00:00+01:00' },
      },
    ]);
  });

  it('is sorted by start and deterministic', () => {
    const ms = plan.meetings.map((m) => instantMs(m.start));
    expect([...ms].sort((a, b) => a - b)).toEqual(ms);
    expect(planYear(2027, CREMASCO, [], { holidays })).toEqual(plan);
  });
});

describe('overrides', () => {
  it('moves an occurrence to another instant, keeping its key, with a new convocation deadline', () => {
    const plan = planYear(
      2027,
      [body('cr', 'comitato_ristretto')],
      [{ bodyId: 'cr', plannedDate: '2027-03-02', action: 'move', start: '2027-03-09T16:30:00Z' }],
      { holidays },
    );
    expect(plan.meetings.find((m) => m.plannedDate === '2027-03-02')).toMatchObject({
      status: 'moved',
      start: '2027-03-09T17:30:00+01:00',
      end: '2027-03-09T19:30:00+01:00',
      convocationDeadline: '2027-03-03T09:00:00+01:00',
    });
    expect(plan.unmatchedOverrides).toEqual([]);
  });

  it('cancels an occurrence, and the approval annotation falls back to another session or none', () => {
    const bodies = [body('cr', 'comitato_ristretto'), body('ads', 'assemblea_sindaci')];
    const cancelled = planYear(
      2027,
      bodies,
      [{ bodyId: 'ads', plannedDate: '2027-12-16', action: 'cancel' }],
      {
        holidays,
      },
    );
    expect(cancelled.meetings.some((m) => m.plannedDate === '2027-12-16')).toBe(false);
    // The July session is the last one on or before 31 December: it now carries the Piano Operativo too.
    expect(cancelled.meetings.find((m) => m.plannedDate === '2027-07-15')?.approves).toEqual([
      { kind: 'aggiornamento_semestrale', year: 2027 },
      { kind: 'piano_operativo', year: 2028 },
    ]);

    const none = planYear(2027, bodies, [{ bodyId: 'ads', plannedDate: '2027-04-15', action: 'cancel' }], {
      holidays,
    });
    expect(none.meetings.flatMap((m) => m.approves).some((a) => a.kind === 'report_annuale')).toBe(false);
    // Without a session the stages fall back to offsets from the due date.
    expect(none.deadlines[0]!.stages.map((s) => [s.stage, s.dueDate, s.meeting?.bodyId])).toEqual([
      ['draft', '2027-03-31', undefined],
      ['review', '2027-04-06', 'cr'],
      ['approval', '2027-04-30', undefined],
    ]);
  });

  it('keeps a session moved past the due date from approving', () => {
    const plan = planYear(
      2027,
      [body('ads', 'assemblea_sindaci')],
      [{ bodyId: 'ads', plannedDate: '2027-04-15', action: 'move', start: '2027-05-06T18:00:00+02:00' }],
      { holidays },
    );
    expect(plan.meetings[0]).toMatchObject({ start: '2027-05-06T18:00:00+02:00', approves: [] });
  });

  it('reports overrides of the year that match no occurrence, ignores other years', () => {
    const stray = { bodyId: 'cr', plannedDate: '2027-03-10', action: 'cancel' } as const;
    const plan = planYear(
      2027,
      [body('cr', 'comitato_ristretto')],
      [stray, { bodyId: 'cr', plannedDate: '2028-03-07', action: 'cancel' }],
      { holidays },
    );
    expect(plan.unmatchedOverrides).toEqual([stray]);
    expect(plan.meetings).toHaveLength(12);
  });

  it('rejects bad input with a message naming the problem', () => {
    const cr = [body('cr', 'comitato_ristretto')];
    expect(() =>
      planYear(
        2027,
        cr,
        [
          {
            bodyId: 'cr',
            plannedDate: '2027-03-02',
            action: 'move',
            start: '2027-03-09T18:00:00+01:00',
            end: '2027-03-09T17:00:00+01:00',
          },
        ],
        { holidays },
      ),
    ).toThrow(/la fine non segue l'inizio/);
    expect(() =>
      planYear(
        2027,
        cr,
        [
          { bodyId: 'cr', plannedDate: '2027-03-02', action: 'cancel' },
          { bodyId: 'cr', plannedDate: '2027-03-02', action: 'cancel' },
        ],
        { holidays },
      ),
    ).toThrow(/Due modifiche per cr del 2027-03-02/);
    expect(() =>
      planYear(
        2027,
        cr,
        [{ bodyId: 'cr', plannedDate: '2027-03-02', action: 'move', start: '2027-03-09 18:00' }],
        {
          holidays,
        },
      ),
    ).toThrow(/Modifica n. 1 non valida: start/);
    expect(() => planYear(2027, [...cr, ...cr], [], { holidays })).toThrow(/Organo duplicato: cr/);
    const broken = {
      ...cr[0]!,
      rules: { ...cr[0]!.rules, cadence: { ...cr[0]!.rules.cadence!, time: '7pm' } },
    };
    expect(() => planYear(2027, [broken], [], { holidays })).toThrow(
      /Organo n. 1 non valido: rules.cadence.time/,
    );
    expect(() => planYear(1900, cr, [], { holidays })).toThrow(/Anno non valido/);
  });
});

describe('planRange', () => {
  it('returns meetings and deadlines in the range sorted by time, across a year boundary', () => {
    const entries = planRange('2027-11-20', '2028-01-20', CREMASCO, [], { holidays });
    expect(entries.map((e) => `${e.type} ${e.type === 'meeting' ? e.bodyId : e.label} ${e.at}`)).toEqual([
      'meeting cr 2027-12-07T18:00:00+01:00',
      'meeting cdr 2027-12-09T10:00:00+01:00',
      'meeting ads 2027-12-16T18:00:00+01:00',
      'deadline Piano Operativo 2028 2027-12-31T23:59:59+01:00',
      'meeting cr 2028-01-04T18:00:00+01:00',
    ]);
  });

  it('includes a December occurrence moved into January of the next year', () => {
    const entries = planRange(
      '2028-01-01',
      '2028-01-31',
      [body('cr', 'comitato_ristretto')],
      [{ bodyId: 'cr', plannedDate: '2027-12-07', action: 'move', start: '2028-01-03T18:00:00+01:00' }],
      { holidays },
    );
    expect(entries.map((e) => e.at)).toEqual(['2028-01-03T18:00:00+01:00', '2028-01-04T18:00:00+01:00']);
  });

  it('filters by body, keeping approvals and stages computed with every body', () => {
    const ads = planRange('2027-01-01', '2027-12-31', CREMASCO, [], { holidays, bodyId: 'ads' });
    expect(ads.filter((e) => e.type === 'meeting').map((e) => e.at)).toEqual([
      '2027-04-15T18:00:00+02:00',
      '2027-07-15T18:00:00+02:00',
      '2027-12-16T18:00:00+01:00',
    ]);
    const deadlines = ads.filter((e) => e.type === 'deadline');
    expect(deadlines).toHaveLength(3);
    expect(deadlines[2]!.type === 'deadline' && deadlines[2]!.stages[1]!.meeting?.bodyId).toBe('cr');
    const sa1 = planRange('2027-01-01', '2027-12-31', CREMASCO, [], { holidays, bodyId: 'sa1' });
    expect(sa1.map((e) => e.type)).toEqual(['meeting', 'meeting', 'meeting', 'meeting']);
  });

  it('rejects an inverted or too long range and an unknown body', () => {
    expect(() => planRange('2027-02-01', '2027-01-01', CREMASCO, [], { holidays })).toThrow(
      /Intervallo non valido/,
    );
    expect(() => planRange('2027-01-01', '2037-01-01', CREMASCO, [], { holidays })).toThrow(
      /Intervallo troppo ampio/,
    );
    expect(planRange('2027-01-01', '2036-12-31', CREMASCO, [], { holidays }).length).toBeGreaterThan(400);
    expect(() => planRange('2027-01-01', '2027-01-31', CREMASCO, [], { holidays, bodyId: 'nope' })).toThrow(
      /Organo sconosciuto: nope/,
    );
  });
});
