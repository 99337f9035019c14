import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { storeAttendance } from './attendance-rows';

let db: TestDatabase;
let meetingId: string;
let mayor: string;
let assessore: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const ambito = await db.prisma.ambito.create({ data: { code: 'prova', name: 'Ambito di prova' } });
  const body = await db.prisma.body.create({
    data: {
      ambitoId: ambito.id,
      code: 'sa1',
      name: 'Assemblea del Sub-ambito 1',
      kind: 'assemblea_sub_ambito',
      convenerRole: 'Comune capofila',
      rules: {},
    },
  });
  const meeting = await db.prisma.meeting.create({
    data: {
      bodyId: body.id,
      plannedDateKey: '2027-02-16',
      startsAt: new Date('2027-02-16T16:00:00Z'),
      endsAt: new Date('2027-02-16T18:00:00Z'),
    },
  });
  meetingId = meeting.id;
  mayor = (
    await db.prisma.person.create({
      data: { fullName: 'Sindaco di Bagnolo', email: 's@bagnolo.example.org' },
    })
  ).id;
  assessore = (
    await db.prisma.person.create({
      data: { fullName: 'Assessore di Vaiano', email: 'a@vaiano.example.org' },
    })
  ).id;
});
afterAll(async () => db?.cleanup());

it('creates one row per person, and a second roll call updates them in place, keeping when each was first recorded', async () => {
  const first = new Date('2027-02-16T16:05:00Z');
  await storeAttendance(
    db.prisma,
    meetingId,
    [
      { personId: mayor, status: 'present', seatId: null },
      { personId: assessore, status: 'absent', seatId: null },
    ],
    first,
  );
  await storeAttendance(
    db.prisma,
    meetingId,
    [
      { personId: assessore, status: 'absent', seatId: null },
      {
        personId: assessore,
        status: 'delegate',
        delegateName: 'Consigliere delegato',
        arrivedAt: '2027-02-16T16:30:00Z',
        seatId: null,
      },
    ],
    new Date('2027-02-16T16:40:00Z'),
  );
  const rows = await db.prisma.attendance.findMany({ where: { meetingId } });
  const byPerson = new Map(rows.map((r) => [r.personId, r]));
  expect(rows).toHaveLength(2);
  expect(byPerson.get(mayor)).toMatchObject({ status: 'present', recordedAt: first, arrivedAt: null });
  // The last entry for a person wins, as it would row by row.
  expect(byPerson.get(assessore)).toMatchObject({
    status: 'delegate',
    delegateName: 'Consigliere delegato',
    arrivedAt: new Date('2027-02-16T16:30:00Z'),
    recordedAt: first,
  });
});
