import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESCALATION_LADDER,
  escalationLevelOn,
  escalationSteps,
  escalationStepsOn,
} from './escalation';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';

const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);

describe('escalationSteps with the default ladder', () => {
  it('Piano Operativo due 31 December 2027: reminders before, three levels after, on working days at 09:00', () => {
    const steps = escalationSteps('2027-12-31', { holidays });
    expect(
      steps.map((s) => [s.kind, s.level, s.offsetDays, s.at, s.notify.join('+'), s.agendaItemFor ?? '']),
    ).toEqual([
      ['reminder', 0, -30, '2027-12-01T09:00:00+01:00', 'owner', ''],
      ['reminder', 0, -14, '2027-12-17T09:00:00+01:00', 'owner', ''],
      ['reminder', 0, -7, '2027-12-24T09:00:00+01:00', 'owner', ''],
      ['reminder', 0, -1, '2027-12-30T09:00:00+01:00', 'owner', ''],
      // +1 is 1 January (holiday): the next working day is Monday 3 January.
      ['escalation', 1, 1, '2028-01-03T09:00:00+01:00', 'owner+responsabile_udp', ''],
      // +7 is Friday 7 January.
      [
        'escalation',
        2,
        7,
        '2028-01-07T09:00:00+01:00',
        'coordinatore_comitato_ristretto',
        'comitato_ristretto',
      ],
      // +21 is Friday 21 January.
      ['escalation', 3, 21, '2028-01-21T09:00:00+01:00', 'presidente_assemblea+sovraintendenza', ''],
    ]);
  });

  it('moves reminders earlier and escalations later around weekends and holidays', () => {
    // Report annuale due Friday 30 April 2027: -7 is Friday 23, -14 Friday 16, -1 Thursday 29, -30 is
    // Wednesday 31 March; +1 is Saturday 1 May (also a holiday) -> Monday 3 May.
    const steps = escalationSteps('2027-04-30', { holidays });
    expect(steps.map((s) => s.date)).toEqual([
      '2027-03-31',
      '2027-04-16',
      '2027-04-23',
      '2027-04-29',
      '2027-05-03',
      '2027-05-07',
      '2027-05-21',
    ]);
    // Due Tuesday 30 March 2027: the reminder of Monday 29 (Easter Monday) goes out Friday 26.
    expect(escalationSteps('2027-03-30', { holidays })[3]!.date).toBe('2027-03-26');
  });

  it('keeps the calendar days when the policy allows any day, and uses the chosen hour', () => {
    const steps = escalationSteps('2027-04-30', {
      holidays,
      policy: { sendTime: '08:15', workingDaysOnly: false },
    });
    expect(steps[4]).toMatchObject({ date: '2027-05-01', at: '2027-05-01T08:15:00+02:00' });
  });

  it('drops the steps after completion', () => {
    const steps = escalationSteps('2027-04-30', { holidays, completedOn: '2027-05-04' });
    expect(steps.map((s) => s.level)).toEqual([0, 0, 0, 0, 1]);
  });

  it('accepts a custom ladder and rejects an inconsistent one', () => {
    const ladder = {
      reminderDaysBefore: [3, 10, 10],
      remind: ['owner' as const, 'responsabile_udp' as const],
      levels: [{ level: 1, daysAfterDue: 2, notify: ['sovraintendenza' as const] }],
    };
    expect(
      escalationSteps('2027-06-16', { holidays, ladder }).map((s) => `${s.offsetDays} ${s.date}`),
    ).toEqual([
      '-10 2027-06-04', // Sunday 6 -> Friday 4
      '-3 2027-06-11', // Sunday 13 -> Friday 11
      '2 2027-06-18',
    ]);
    expect(() =>
      escalationSteps('2027-06-16', {
        holidays,
        ladder: { ...ladder, levels: [{ level: 2, daysAfterDue: 2, notify: ['owner'] }] },
      }),
    ).toThrow(/Scala di sollecito non valida/);
    expect(() =>
      escalationSteps('2027-06-16', {
        holidays,
        ladder: {
          ...ladder,
          levels: [
            { level: 1, daysAfterDue: 7, notify: ['owner'] },
            { level: 2, daysAfterDue: 7, notify: ['owner'] },
          ],
        },
      }),
    ).toThrow(/giorni di ritardo crescenti/);
    expect(() => escalationSteps('2027-13-01', { holidays })).toThrow(/Data non valida/);
  });

  it('is the documented default', () => {
    expect(DEFAULT_ESCALATION_LADDER.reminderDaysBefore).toEqual([30, 14, 7, 1]);
    expect(DEFAULT_ESCALATION_LADDER.levels.map((l) => l.daysAfterDue)).toEqual([1, 7, 21]);
  });
});

describe('escalationLevelOn / escalationStepsOn', () => {
  it('climbs the ladder on the step dates and stays on the last level', () => {
    const level = (date: string) => escalationLevelOn('2027-12-31', date, { holidays });
    expect(level('2027-12-31')).toBe(0);
    expect(level('2028-01-01')).toBe(0); // the +1 step waits for Monday 3 January
    expect(level('2028-01-03')).toBe(1);
    expect(level('2028-01-06')).toBe(1);
    expect(level('2028-01-07')).toBe(2);
    expect(level('2028-01-21')).toBe(3);
    expect(level('2028-06-01')).toBe(3);
  });

  it('falls back to 0 once the deliverable is completed', () => {
    expect(escalationLevelOn('2027-12-31', '2028-01-10', { holidays, completedOn: '2028-01-08' })).toBe(0);
    expect(escalationLevelOn('2027-12-31', '2028-01-07', { holidays, completedOn: '2028-01-08' })).toBe(2);
  });

  it('lists who is told on a given day', () => {
    expect(escalationStepsOn('2027-12-31', '2028-01-07', { holidays })).toEqual([
      {
        kind: 'escalation',
        level: 2,
        offsetDays: 7,
        date: '2028-01-07',
        at: '2028-01-07T09:00:00+01:00',
        notify: ['coordinatore_comitato_ristretto'],
        agendaItemFor: 'comitato_ristretto',
      },
    ]);
    expect(escalationStepsOn('2027-12-31', '2028-01-08', { holidays })).toEqual([]);
  });
});
