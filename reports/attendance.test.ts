import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { attendanceReport, type AttendanceReport } from './attendance';
import { createAttendanceFixture, type AttendanceFixture } from './fixture';

describe('attendanceReport', () => {
  let db: TestDatabase;
  let f: AttendanceFixture;
  let report: AttendanceReport;
  const year = { from: '2027-01-01', to: '2027-12-31' };

  beforeAll(async () => {
    db = await createTestDatabase();
    f = await createAttendanceFixture(db.prisma);
    report = await attendanceReport(db.prisma, { bodyId: f.bodyId, ...year }, { kind: 'all' });
  });
  afterAll(() => db.cleanup());

  it('counts only sessions held with a roll call, listing the one without apart', () => {
    expect(report.meetings.map((m) => m.date)).toEqual([
      '2027-02-10',
      '2027-05-12',
      '2027-09-15',
      '2027-11-17',
    ]);
    expect(report.withoutRollCall.map((m) => m.date)).toEqual(['2027-12-01']);
  });

  it('tells, per meeting, how each seat stood, who represented it and whether the quorum was reached', () => {
    const seat = (date: string, holder: string) =>
      report.meetings.find((m) => m.date === date)!.seats.find((s) => s.holder === holder)!;
    expect(seat('2027-02-10', 'Elena Marè').status).toBe('justified');
    expect(seat('2027-05-12', 'Ada Bonì')).toMatchObject({
      status: 'delegate',
      representedBy: 'Bruno Città',
    });
    expect(seat('2027-05-12', 'Carla Perù').status).toBe('absent');
    expect(seat('2027-09-15', 'Ada Bonì')).toMatchObject({
      status: 'delegate',
      representedBy: 'Assessora Gioia Lucà',
      countsForQuorum: true,
    });
    expect(seat('2027-09-15', 'Elena Marè')).toMatchObject({
      status: 'delegate',
      representedBy: 'Hugo Lucà',
    });
    // The guest seat does not vote: present, but not counted.
    expect(seat('2027-09-15', 'Fabio Gioià')).toMatchObject({ status: 'present', countsForQuorum: false });
    // Carla left the seat on 30 June: September's seat is Dario's.
    expect(report.meetings[2]!.seats.map((s) => s.holder)).not.toContain('Carla Perù');
    expect(report.meetings.map((m) => [m.quorum.counted, m.quorum.required, m.quorum.reached])).toEqual([
      [2, 2, true],
      [2, 2, true],
      [3, 2, true],
      [1, 2, false],
    ]);
  });

  it('tallies per person only the meetings held while they held the seat, and the rate (present or delegate) / expected', () => {
    const tally = (person: string) => {
      const p = report.people.find((x) => x.person === person)!;
      return [p.expected, p.present, p.delegate, p.justified, p.absent, p.rate];
    };
    expect(tally('Ada Bonì')).toEqual([4, 1, 2, 1, 0, 3 / 4]);
    expect(tally('Carla Perù')).toEqual([2, 1, 0, 0, 1, 1 / 2]);
    expect(tally('Dario Sciò')).toEqual([2, 1, 0, 0, 1, 1 / 2]);
    expect(tally('Elena Marè')).toEqual([4, 2, 1, 1, 0, 3 / 4]);
    expect(tally('Fabio Gioià')).toEqual([4, 3, 0, 0, 1, 3 / 4]);
    expect(report.people.map((p) => p.person)).not.toContain('Bruno Città');
  });

  it('tallies per organisation the seats its people held', () => {
    expect(
      report.organisations.map((o) => [
        o.organisation,
        o.expected,
        o.present,
        o.delegate,
        o.justified,
        o.absent,
        o.rate,
      ]),
    ).toEqual([
      ['ATS Val Padana (r)', 8, 5, 1, 1, 1, 6 / 8],
      ['Comune di Crema (r)', 4, 1, 2, 1, 0, 3 / 4],
      ['Comunità Sociale Cremasca (r)', 4, 2, 0, 0, 2, 2 / 4],
    ]);
  });

  it('keeps to the period asked for', async () => {
    const spring = await attendanceReport(
      db.prisma,
      { bodyId: f.bodyId, from: '2027-02-11', to: '2027-06-30' },
      { kind: 'all' },
    );
    expect(spring.meetings.map((m) => m.date)).toEqual(['2027-05-12']);
    expect(spring.people.find((p) => p.person === 'Dario Sciò')).toBeUndefined();
  });

  it('shows a member only the rows where they held or represented a seat', async () => {
    const own = (personId: string) =>
      attendanceReport(db.prisma, { bodyId: f.bodyId, ...year }, { kind: 'own', personId });
    const ada = await own(f.people.ada.id);
    expect(ada.scope).toBe('own');
    expect(ada.meetings.flatMap((m) => m.seats.map((s) => s.holder))).toEqual(Array(4).fill('Ada Bonì'));
    expect(ada.people.map((p) => p.person)).toEqual(['Ada Bonì']);
    expect(ada.organisations.map((o) => [o.organisation, o.expected])).toEqual([['Comune di Crema (r)', 4]]);
    const bruno = await own(f.people.bruno.id);
    expect(bruno.meetings.map((m) => [m.date, m.seats.map((s) => s.representedBy)])).toEqual([
      ['2027-05-12', ['Bruno Città']],
    ]);
  });
});
