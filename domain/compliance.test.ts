import { describe, expect, it } from 'vitest';
import { checkCompliance, italianDate, type MeetingRecord } from './compliance';
import { DEFAULT_RULES } from './defaults';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';
import type { BodyKind } from './kinds';
import { planYear } from './plan';

const body = (id: string, kind: BodyKind, name: string) => ({ id, kind, name, rules: DEFAULT_RULES[kind] });
const cr = body('cr', 'comitato_ristretto', 'Comitato Ristretto');
const sa = body('sa1', 'assemblea_sub_ambito', 'Assemblea del sub-ambito 1');
const cdr = body('cdr', 'cabina_di_regia', 'Cabina di Regia');
const held = (bodyId: string, start: string): MeetingRecord => ({ bodyId, start, status: 'held' });
const planned = (bodyId: string, start: string): MeetingRecord => ({ bodyId, start, status: 'planned' });
const at = (date: string) => `${date}T18:00:00+01:00`;

describe('default plan of 2027 seen from 1 January', () => {
  it('has no findings at all', () => {
    const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);
    const bodies = [cr, sa, cdr];
    const meetings = [2026, 2027].flatMap((y) => planYear(y, bodies, [], { holidays }).meetings);
    const records = meetings.map((m) => ({
      bodyId: m.bodyId,
      start: m.start,
      status: m.start < '2027' ? ('held' as const) : ('planned' as const),
    }));
    expect(checkCompliance(bodies, records, { year: 2027, now: '2027-01-01T00:00:00+01:00' })).toEqual([]);
  });
});

describe('Comitato Ristretto: a meeting every calendar month', () => {
  const months = (list: number[]) => list.map((m) => held('cr', at(`2027-${String(m).padStart(2, '0')}-09`)));

  it('breaches each past month without a meeting, warns in the last days of the current one', () => {
    const findings = checkCompliance([cr], months([1, 3]), { year: 2027, now: '2027-04-20T10:00:00+02:00' });
    expect(findings.map((f) => [f.rule, f.period, f.severity])).toEqual([
      ['every_calendar_month', '2027-02', 'breach'],
      ['every_calendar_month', '2027-04', 'warning'],
    ]);
    expect(findings[0]).toMatchObject({
      bodyId: 'cr',
      from: '2027-02-01',
      to: '2027-02-28',
      message:
        'Comitato Ristretto: nessuna riunione nel mese di febbraio 2027 (è prevista una riunione ogni mese).',
    });
    expect(findings[1]!.message).toBe(
      'Comitato Ristretto: nessuna riunione prevista nel mese di aprile 2027, che termina il 30 aprile 2027.',
    );
  });

  it('does not warn earlier than warnWithinDays before the month ends, and the window is configurable', () => {
    const now = '2027-04-16T10:00:00+02:00'; // 14 days before 30 April
    expect(checkCompliance([cr], months([1, 2, 3]), { year: 2027, now })).toHaveLength(1);
    expect(
      checkCompliance([cr], months([1, 2, 3]), { year: 2027, now: '2027-04-15T10:00:00+02:00' }),
    ).toEqual([]);
    expect(
      checkCompliance([cr], months([1, 2, 3]), {
        year: 2027,
        now: '2027-04-01T10:00:00+02:00',
        warnWithinDays: 29,
      }),
    ).toHaveLength(1);
  });

  it('counts an upcoming planned meeting, not a past one never marked held, never a cancelled one', () => {
    const now = '2027-04-20T10:00:00+02:00';
    const base = months([1, 2, 3]);
    expect(
      checkCompliance([cr], [...base, planned('cr', '2027-04-27T18:00:00+02:00')], { year: 2027, now }),
    ).toEqual([]);
    expect(
      checkCompliance([cr], [...base, planned('cr', '2027-04-13T18:00:00+02:00')], { year: 2027, now }),
    ).toHaveLength(1);
    expect(
      checkCompliance(
        [cr],
        [...base, { bodyId: 'cr', start: '2027-04-27T18:00:00+02:00', status: 'cancelled' }],
        { year: 2027, now },
      ),
    ).toHaveLength(1);
  });

  it('places a meeting in its Rome month: 31 January 23:30 UTC is 1 February in Rome', () => {
    const findings = checkCompliance([cr], [held('cr', '2027-01-31T23:30:00Z')], {
      year: 2027,
      now: '2027-02-10T10:00:00+01:00',
    });
    expect(findings.map((f) => f.period)).toEqual(['2027-01']);
  });

  it('ignores meetings of other bodies and years', () => {
    const findings = checkCompliance([cr], [held('cdr', at('2027-01-09')), held('cr', at('2026-01-09'))], {
      year: 2027,
      now: '2027-02-01T10:00:00+01:00',
    });
    expect(findings.map((f) => f.period)).toEqual(['2027-01']);
  });
});

describe('sub-ambito: at least 4 a year and on pace', () => {
  it('judges no quarter once over, keeps the year a warning while the plan falls short', () => {
    const findings = checkCompliance([sa], [held('sa1', at('2027-05-19'))], {
      year: 2027,
      now: '2027-07-05T10:00:00+02:00',
    });
    expect(findings.map((f) => [f.period, f.severity])).toEqual([['2027', 'warning']]);
    expect(findings[0]!.message).toBe(
      'Assemblea del sub-ambito 1: 1 riunione tenuta o prevista nel 2027, ne sono richieste almeno 4.',
    );
  });

  it('warns of a quarter behind pace in its last days', () => {
    const findings = checkCompliance([sa], [held('sa1', at('2027-05-19'))], {
      year: 2027,
      now: '2027-06-20T10:00:00+02:00',
    });
    expect(findings.map((f) => [f.period, f.severity])).toEqual([
      ['2027-Q2', 'warning'],
      ['2027', 'warning'],
    ]);
    expect(findings[0]!.message).toBe(
      "Assemblea del sub-ambito 1: 1 riunione tenuta o prevista entro il 30 giugno 2027, ne servono 2 per arrivare a 4 nell'anno.",
    );
  });

  it('is on pace with one meeting per quarter planned', () => {
    const plan = ['2027-02-17', '2027-05-19', '2027-09-15', '2027-11-17'].map((d) => planned('sa1', at(d)));
    expect(checkCompliance([sa], plan, { year: 2027, now: '2027-01-10T10:00:00+01:00' })).toEqual([]);
  });

  it('uses ceil(N*q/4): with 6 a year, 2 by March, 3 by June, 5 by September', () => {
    const six = { ...sa, rules: { ...sa.rules, compliance: { everyCalendarMonth: false, minPerYear: 6 } } };
    const dates = ['2027-01-20', '2027-03-17', '2027-05-19', '2027-07-14', '2027-09-15'];
    expect(
      checkCompliance(
        [six],
        dates.map((d) => held('sa1', at(d))),
        { year: 2027, now: '2027-10-01T10:00:00+02:00' },
      ).map((f) => f.period),
    ).toEqual(['2027']);
    expect(
      checkCompliance(
        [six],
        dates.slice(0, 4).map((d) => held('sa1', at(d))),
        { year: 2027, now: '2027-10-01T10:00:00+02:00' },
      ).map((f) => `${f.period} ${f.severity}`),
    ).toEqual(['2027 warning']);
  });

  it('breaches nothing in a year of four meetings that began in April ("4 incontri all\'anno", 000:L737)', () => {
    const four = ['2027-04-21', '2027-05-19', '2027-09-15', '2027-11-17'].map((d) => held('sa1', at(d)));
    const severities = ['2027-04-05', '2027-07-05', '2027-10-05', '2028-01-05'].flatMap((day) =>
      checkCompliance([sa], four, { year: 2027, now: `${day}T10:00:00+02:00` }).map((f) => f.severity),
    );
    expect(severities).not.toContain('breach');
  });

  it('breaches the year once it is over', () => {
    const three = ['2027-02-17', '2027-05-19', '2027-09-15'].map((d) => held('sa1', at(d)));
    expect(
      checkCompliance([sa], three, { year: 2027, now: '2028-01-02T10:00:00+01:00' }).map(
        (f) => `${f.period} ${f.severity}`,
      ),
    ).toEqual(['2027 breach']);
  });
});

describe('Cabina di Regia: no gap over 4 months', () => {
  it('counts the gap from the last meeting of the previous year', () => {
    const m = [held('cdr', '2026-12-09T10:00:00+01:00'), held('cdr', '2027-04-14T10:00:00+02:00')];
    const findings = checkCompliance([cdr], m, { year: 2027, now: '2027-05-01T10:00:00+02:00' });
    expect(findings).toEqual([
      {
        rule: 'max_gap',
        bodyId: 'cdr',
        period: '2026-12-09/2027-04-09',
        from: '2026-12-09',
        to: '2027-04-09',
        severity: 'breach',
        message:
          'Cabina di Regia: dalla riunione del 9 dicembre 2026 si è arrivati al 14 aprile 2027, oltre 4 mesi (limite 9 aprile 2027).',
      },
    ]);
  });

  it('accepts a meeting exactly 4 months later', () => {
    const m = [held('cdr', '2026-12-09T10:00:00+01:00'), held('cdr', '2027-04-09T10:00:00+02:00')];
    expect(checkCompliance([cdr], m, { year: 2027, now: '2027-05-01T10:00:00+02:00' })).toEqual([]);
  });

  it('warns about a planned meeting beyond the limit, before the limit passes', () => {
    const m = [held('cdr', '2027-03-10T10:00:00+01:00'), planned('cdr', '2027-07-14T10:00:00+02:00')];
    const findings = checkCompliance([cdr], m, { year: 2027, now: '2027-05-01T10:00:00+02:00' });
    expect(findings.map((f) => `${f.period} ${f.severity}`)).toEqual(['2027-03-10/2027-07-10 warning']);
    expect(findings[0]!.message).toContain('si arriverebbe al 14 luglio 2027');
  });

  it('checks the gap from the last meeting to now: warning when near, breach when passed', () => {
    const m = [held('cdr', '2027-03-10T10:00:00+01:00')];
    expect(checkCompliance([cdr], m, { year: 2027, now: '2027-06-01T10:00:00+02:00' })).toEqual([]);
    expect(
      checkCompliance([cdr], m, { year: 2027, now: '2027-07-01T10:00:00+02:00' }).map((f) => f.severity),
    ).toEqual(['warning']);
    const late = checkCompliance([cdr], m, { year: 2027, now: '2027-07-11T10:00:00+02:00' });
    expect(late.map((f) => `${f.period} ${f.severity}`)).toEqual(['2027-03-10/2027-07-10 breach']);
    expect(late[0]!.message).toBe(
      'Cabina di Regia: dalla riunione del 10 marzo 2027 sono passati più di 4 mesi senza riunioni (limite 10 luglio 2027).',
    );
  });

  it('with no earlier meeting known, the gap runs from 1 January', () => {
    const findings = checkCompliance([cdr], [held('cdr', '2027-06-09T10:00:00+02:00')], {
      year: 2027,
      now: '2027-06-10T10:00:00+02:00',
    });
    expect(findings.map((f) => `${f.period} ${f.severity}`)).toEqual(['2027-01-01/2027-05-01 breach']);
    expect(findings[0]!.message).toContain("dall'inizio dell'anno");
  });

  it('leaves a limit falling in the next year to the next year', () => {
    expect(
      checkCompliance(
        [cdr],
        [
          held('cdr', '2027-03-10T10:00:00+01:00'),
          held('cdr', '2027-06-09T10:00:00+02:00'),
          held('cdr', '2027-09-08T10:00:00+02:00'),
          held('cdr', '2027-12-09T10:00:00+01:00'),
        ],
        { year: 2027, now: '2027-12-31T10:00:00+01:00' },
      ),
    ).toEqual([]);
  });
});

describe('input checks', () => {
  it('rejects bad instants, years and windows', () => {
    expect(() =>
      checkCompliance([cr], [held('cr', '2027-01-09')], { year: 2027, now: '2027-02-01T00:00:00Z' }),
    ).toThrow(/Istante non valido/);
    expect(() => checkCompliance([cr], [], { year: 2027, now: 'ieri' })).toThrow(/Istante non valido/);
    expect(() => checkCompliance([cr], [], { year: 20270, now: '2027-02-01T00:00:00Z' })).toThrow(
      /Anno non valido/,
    );
    expect(() =>
      checkCompliance([cr], [], { year: 2027, now: '2027-02-01T00:00:00Z', warnWithinDays: -1 }),
    ).toThrow(/Preavviso non valido/);
  });

  it('formats dates in Italian', () => {
    expect(italianDate('2027-08-01')).toBe('1 agosto 2027');
  });
});
