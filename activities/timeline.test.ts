import { describe, expect, it } from 'vitest';
import { CREMA_LOCAL_FEASTS, DEFAULT_RULES, HolidayCalendar, checkCompliance } from '../domain/index';
import { meetingTimeline, nextComplianceCheck } from './timeline';

const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);
const cr = DEFAULT_RULES.comitato_ristretto;

describe('meetingTimeline', () => {
  it('convokes five giorni liberi ahead, reminds two working days before, wants minutes in 15 days', () => {
    // Tuesday 9 March 2027 at 18:00.
    const t = meetingTimeline({ startsAt: '2027-03-09T18:00:00+01:00', urgent: false }, cr, holidays);
    expect(t.convocationAt).toBe('2027-03-03T09:00:00+01:00');
    expect(t.reminderAt).toBe('2027-03-05T09:00:00+01:00');
    expect(t.minutesDueAt).toBe('2027-03-24T23:59:59+01:00');
  });

  it('skips holidays when counting back the reminder (Liberazione, 25 April 2028 is a Tuesday)', () => {
    // Thursday 27 April 2028: the working days before are Wed 26 and Mon 24 (25 April is a holiday).
    const t = meetingTimeline({ startsAt: '2028-04-27T18:00:00+02:00', urgent: false }, cr, holidays);
    expect(t.reminderAt).toBe('2028-04-24T09:00:00+02:00');
  });

  it('has no reminder when an urgent convocation leaves after its moment, nor an agenda e-mail', () => {
    const t = meetingTimeline({ startsAt: '2027-03-09T18:00:00+01:00', urgent: true }, cr, holidays);
    expect(t.convocationAt).toBe('2027-03-08T18:00:00+01:00');
    expect(t.reminderAt).toBeNull();
    expect(t.agendaReminderAt).toBeNull();
  });

  it('asks for the agenda three working days before the convocation leaves', () => {
    // Convocation Wednesday 3 March 2027: Tuesday 2, Monday 1, Friday 26 February.
    const march = meetingTimeline({ startsAt: '2027-03-09T18:00:00+01:00', urgent: false }, cr, holidays);
    expect(march.agendaReminderAt).toBe('2027-02-26T09:00:00+01:00');
    // Tuesday 2 May 2028: convocation Wednesday 26 April; Liberazione (Tuesday 25) is not counted.
    const may = meetingTimeline({ startsAt: '2028-05-02T18:00:00+02:00', urgent: false }, cr, holidays);
    expect(may.convocationAt).toBe('2028-04-26T09:00:00+02:00');
    expect(may.agendaReminderAt).toBe('2028-04-20T09:00:00+02:00');
  });

  it('has no minutes deadline for a body that keeps none', () => {
    const t = meetingTimeline(
      { startsAt: '2027-02-17T18:00:00+01:00', urgent: false },
      DEFAULT_RULES.assemblea_sub_ambito,
      holidays,
    );
    expect(t.minutesDueAt).toBeNull();
  });
});

describe('nextComplianceCheck', () => {
  it('checks on the 17th and on the first working day of the next month', () => {
    expect(nextComplianceCheck('2027-12-02T10:00:00+01:00', holidays)).toBe('2027-12-17T09:00:00+01:00');
    expect(nextComplianceCheck('2027-12-17T09:00:00+01:00', holidays)).toBe('2028-01-03T09:00:00+01:00');
  });

  it('warns in its mid-month check of every month, 31-day ones too, that no Comitato Ristretto is planned', () => {
    const body = { id: 'cr', name: 'Comitato Ristretto', rules: cr };
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, '0');
      const others = [...Array(12).keys()]
        .map((i) => i + 1)
        .filter((m) => m !== month)
        .map((m) => ({
          bodyId: 'cr',
          start: `2027-${String(m).padStart(2, '0')}-05T18:00:00+01:00`,
          status: 'held' as const,
        }));
      const midMonth = nextComplianceCheck(`2027-${mm}-02T10:00:00+01:00`, holidays);
      const findings = checkCompliance([body], others, { year: 2027, now: midMonth });
      expect(
        findings.map((f) => `${f.period} ${f.severity}`),
        midMonth,
      ).toEqual([`2027-${mm} warning`]);
    }
  });
});
