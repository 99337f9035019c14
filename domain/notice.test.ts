import { describe, expect, it } from 'vitest';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';
import { checkNotice, freeDaysBetween, latestConvocation } from './notice';

const cal = new HolidayCalendar(CREMA_LOCAL_FEASTS);
const five = { ordinaryFreeDays: 5, urgentHours: 24 };

describe('giorni liberi', () => {
  it('excludes both the sending day and the meeting day', () => {
    // Sent Wednesday 3, meeting Tuesday 9 March: 4,5,6,7,8 are free = 5.
    expect(freeDaysBetween('2027-03-03T09:00:00+01:00', '2027-03-09T18:00:00+01:00')).toBe(5);
    expect(freeDaysBetween('2027-03-04T08:00:00+01:00', '2027-03-09T18:00:00+01:00')).toBe(4);
    expect(freeDaysBetween('2027-03-09T08:00:00+01:00', '2027-03-09T18:00:00+01:00')).toBe(-1);
  });

  it('counts on Rome dates: 23:30Z on 3 March is already 4 March in Rome', () => {
    expect(freeDaysBetween('2027-03-03T23:30:00Z', '2027-03-09T18:00:00+01:00')).toBe(4);
  });

  it('counts weekends and holidays as free days, and DST days as whole days', () => {
    // Sent Thursday 25 March, meeting Thursday 1 April 2027: 26..31 incl. Easter = 6.
    expect(freeDaysBetween('2027-03-25T09:00:00+01:00', '2027-04-01T18:00:00+02:00')).toBe(6);
  });
});

describe('latestConvocation', () => {
  it('ordinary: the send hour of the day leaving N free days', () => {
    expect(latestConvocation('2027-03-09T18:00:00+01:00', five, cal)).toBe('2027-03-03T09:00:00+01:00');
  });

  it('steps back to a working day when that day is a weekend or holiday', () => {
    // Meeting Friday 12 March: 6 days before is Saturday 6 -> Friday 5.
    expect(latestConvocation('2027-03-12T18:00:00+01:00', five, cal)).toBe('2027-03-05T09:00:00+01:00');
    // Meeting Tuesday 8 June: 2 June is Festa della Repubblica -> 1 June.
    expect(latestConvocation('2027-06-08T18:00:00+02:00', five, cal)).toBe('2027-06-01T09:00:00+02:00');
    // Meeting Wednesday 16 June: 10 June is San Pantaleone in Crema -> 9 June; not without the local feast.
    expect(latestConvocation('2027-06-16T18:00:00+02:00', five, cal)).toBe('2027-06-09T09:00:00+02:00');
    expect(latestConvocation('2027-06-16T18:00:00+02:00', five, new HolidayCalendar())).toBe(
      '2027-06-10T09:00:00+02:00',
    );
  });

  it('may leave on any day, at a chosen hour, when the policy allows it', () => {
    expect(
      latestConvocation('2027-03-12T18:00:00+01:00', five, cal, {
        policy: { sendTime: '12:30', workingDaysOnly: false },
      }),
    ).toBe('2027-03-06T12:30:00+01:00');
  });

  it('is evaluated in Europe/Rome across the DST change', () => {
    // Meeting Thursday 1 April (summer time), deadline Friday 26 March (winter time).
    expect(latestConvocation('2027-04-01T16:00:00Z', five, cal)).toBe('2027-03-26T09:00:00+01:00');
    expect(latestConvocation('2027-11-04T18:00:00+01:00', five, cal)).toBe('2027-10-29T09:00:00+02:00');
  });

  it('urgent: exactly M hours before the start, whatever the day', () => {
    expect(latestConvocation('2027-03-29T18:00:00+02:00', five, cal, { urgent: true })).toBe(
      '2027-03-28T18:00:00+02:00',
    );
    // 24 real hours across the spring-forward night: 17:00 winter time the day before.
    expect(latestConvocation('2027-03-28T18:00:00+02:00', five, cal, { urgent: true })).toBe(
      '2027-03-27T17:00:00+01:00',
    );
  });

  it('with zero free days the convocation may leave the day before', () => {
    expect(latestConvocation('2027-03-09T18:00:00+01:00', { ordinaryFreeDays: 0, urgentHours: 1 }, cal)).toBe(
      '2027-03-08T09:00:00+01:00',
    );
  });

  it('rejects a start without offset', () => {
    expect(() => latestConvocation('2027-03-09T18:00', five, cal)).toThrow(/Istante non valido/);
  });
});

describe('checkNotice', () => {
  it('ordinary: enough free days or not', () => {
    expect(checkNotice('2027-03-03T20:00:00+01:00', '2027-03-09T18:00:00+01:00', five)).toEqual({
      ok: true,
      given: 5,
      required: 5,
    });
    expect(checkNotice('2027-03-04T07:00:00+01:00', '2027-03-09T18:00:00+01:00', five)).toEqual({
      ok: false,
      given: 4,
      required: 5,
    });
  });

  it('urgent: whole hours before the start', () => {
    expect(checkNotice('2027-03-08T18:00:00+01:00', '2027-03-09T18:00:00+01:00', five, true)).toEqual({
      ok: true,
      given: 24,
      required: 24,
    });
    expect(checkNotice('2027-03-08T18:30:00+01:00', '2027-03-09T18:00:00+01:00', five, true).ok).toBe(false);
  });
});
