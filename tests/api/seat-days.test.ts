/**
 * A seat is held for whole days in Italy, its first and last included (prisma/membership-days.ts). Here the
 * fixture's mayor of Capofila 1 leaves the Comitato Ristretto at the end of 30 June 2027 and a successor
 * takes the seat on 1 July; a session is held on the evening of 30 June. Whoever asks (the convocation,
 * the roll call, the answer, the roles of a signed-in request, the people list), the mayor holds the seat
 * until midnight in Rome and the successor from then on, in summer and in winter time; a spreadsheet
 * imported just after midnight dates the change on the new day. Real Postgres; no Temporal, as when the API
 * runs alone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatRecipients } from '../../activities/people';
import { rollCall } from '../../activities/roll-call';
import { loadPrincipal } from '../../api/auth/principal';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seatHeld } from '../../notifications/answers/answering';
import { heldOn, holdsOn } from '../../prisma/membership-days';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { multipartForm } from '../support/multipart';
import { createDistrict, createMeeting, type District } from '../workflows/fixture';
import { COORDINATORE_FIXTURE } from './support';

let db: TestDatabase;
let district: District;
let meetingId: string;
let successor: string;
/** The mayor of Capofila 1, whose seat ends on LAST_DAY. */
let outgoing: string;

const LAST_DAY = '2027-06-30';
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDatabase();
  district = await createDistrict(db.prisma);
  outgoing = district.people.sindaco1!;
  const seat = await db.prisma.seat.findFirstOrThrow({
    where: { bodyId: district.bodies.cr, code: 'rappresentante-1' },
  });
  await db.prisma.membership.updateMany({
    where: { seatId: seat.id, personId: outgoing },
    data: { validTo: new Date(`${LAST_DAY}T00:00:00Z`) },
  });
  successor = (
    await db.prisma.person.create({
      data: { fullName: 'Sindaca Subentrante', email: 'subentra@example.org' },
    })
  ).id;
  await db.prisma.membership.create({
    data: { seatId: seat.id, personId: successor, validFrom: new Date('2027-07-01T00:00:00Z') },
  });
  meetingId = (await createMeeting(db.prisma, district.bodies.cr, LAST_DAY)).id;
});
afterAll(async () => {
  await db?.cleanup();
});

describe('a seat is held on its last day, until midnight in Rome', () => {
  it('the session on the evening of the last day convenes the outgoing mayor, not the successor', async () => {
    const meeting = await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    const recipients = (await seatRecipients(db.prisma, district.bodies.cr, meeting.startsAt)).map(
      (r) => r.personId,
    );
    expect(recipients).toContain(outgoing);
    expect(recipients).not.toContain(successor);
  });

  it("the roll call lists the outgoing mayor in the seat, and the mayor's answer counts for it", async () => {
    const lines = (await rollCall(db.prisma, meetingId)).lines.filter((l) => l.role === 'rappresentante-1');
    expect(lines.map((l) => l.holder.id)).toEqual([outgoing]);
    const meeting = await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    expect((await seatHeld(db.prisma, district.bodies.cr, outgoing, meeting.startsAt))?.code).toBe(
      'rappresentante-1',
    );
    expect(await seatHeld(db.prisma, district.bodies.cr, successor, meeting.startsAt)).toBeNull();
  });

  it("a signed-in request's roles change at midnight in Rome, not at midnight UTC", async () => {
    const memberOfCr = async (personId: string, now: string) =>
      (await loadPrincipal(db.prisma, personId, at(now))).memberOf.includes(district.bodies.cr);
    // 23:30 on the last day, then 00:30 the next day (22:30 UTC, still 30 June there).
    expect(await memberOfCr(outgoing, '2027-06-30T23:30:00+02:00')).toBe(true);
    expect(await memberOfCr(outgoing, '2027-07-01T00:30:00+02:00')).toBe(false);
    expect(await memberOfCr(successor, '2027-06-30T23:30:00+02:00')).toBe(false);
    expect(await memberOfCr(successor, '2027-07-01T00:30:00+02:00')).toBe(true);
  });

  it("the people list shows each seat's holder of that day in Rome", async () => {
    const seatsOf = async (now: string) => {
      const app: FastifyInstance = await buildServer({
        db: db.prisma,
        config: loadConfig({ LOG_LEVEL: 'silent' }),
        now: () => Date.parse(now),
      });
      try {
        const response = await app.inject({
          method: 'GET',
          url: '/api/v1/people',
          headers: await actAs(db.prisma, COORDINATORE_FIXTURE),
        });
        expect(response.statusCode).toBe(200);
        const people = response.json<{ people: { id: string; seats: unknown[] }[] }>().people;
        const count = (id: string) => people.find((p) => p.id === id)?.seats.length ?? 0;
        return { outgoing: count(outgoing), successor: count(successor) };
      } finally {
        await app.close();
      }
    };
    expect(await seatsOf('2027-06-30T23:30:00+02:00')).toEqual({ outgoing: 1, successor: 0 });
    expect(await seatsOf('2027-07-01T00:30:00+02:00')).toEqual({ outgoing: 0, successor: 1 });
  });

  it('the rule read in Postgres and in memory agree, hour by hour, across both changes of hour', async () => {
    const membership = {
      validFrom: new Date('2027-03-28T00:00:00Z'),
      validTo: new Date('2027-10-31T00:00:00Z'),
    };
    const seat = await db.prisma.seat.findFirstOrThrow({ where: { bodyId: district.bodies.cr } });
    const { id } = await db.prisma.membership.create({
      data: { seatId: seat.id, personId: successor, ...membership },
    });
    // Rome's first and last instants of the seat: 28 March begins at 00:00 CET, 31 October ends at 24:00 CET.
    const first = Date.parse('2027-03-28T00:00:00+01:00');
    const last = Date.parse('2027-11-01T00:00:00+01:00') - 1;
    const instants = [first - 1, first, first + 3_600_000, last - 3_600_000, last, last + 1];
    for (let hour = -3; hour <= 3; hour++) instants.push(first + hour * 3_600_000, last + hour * 3_600_000);
    for (const ms of instants) {
      const instant = new Date(ms);
      const expected = ms >= first && ms <= last;
      const found = await db.prisma.membership.count({ where: { id, ...heldOn(instant) } });
      expect([found === 1, holdsOn(membership, instant)], instant.toISOString()).toEqual([
        expected,
        expected,
      ]);
    }
  });
});

describe('a change of holder imported just after midnight in Rome', () => {
  it('ends the outgoing seat yesterday and begins the new one today, days in Rome', async () => {
    const seeded = await createTestDatabase();
    // 00:30 on 1 July in Rome is still 30 June in UTC.
    const app = await buildServer({
      db: seeded.prisma,
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      now: () => Date.parse('2027-07-01T00:30:00+02:00'),
    });
    try {
      await seedCremasco(seeded.prisma);
      const headers = await actAs(seeded.prisma, COORDINATORE);
      const importRows = async (row: string) => {
        const content = Buffer.from(
          'Persona (nome e cognome);E-mail;PEC;Organizzazione o comune;Seggio;Delegato permanente (e-mail)\r\n' +
            `${row}\r\n`,
        );
        const form = multipartForm([], { filename: 'persone.csv', content });
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/people/import',
          headers: { ...headers, 'content-type': form.contentType },
          payload: form.payload,
        });
        expect(response.statusCode, response.body).toBe(200);
      };
      // The first takes the placeholder's seat; the second takes it from the first.
      await importRows('Luca Verdi;l.verdi@comune.crema.cr.it;;Crema;sindaco:crema;');
      await importRows('Sara Gialli;s.gialli@comune.crema.cr.it;;Crema;sindaco:crema;');
      const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;
      const memberships = await seeded.prisma.membership.findMany({
        where: {
          seat: { code: 'sindaco:crema', body: { code: 'assemblea-sindaci' } },
          person: { email: { in: ['l.verdi@comune.crema.cr.it', 's.gialli@comune.crema.cr.it'] } },
        },
        include: { person: true },
      });
      expect(memberships.map((m) => [m.person.fullName, day(m.validTo), day(m.validFrom)]).sort()).toEqual([
        ['Luca Verdi', '2027-06-30', expect.any(String)],
        ['Sara Gialli', null, '2027-07-01'],
      ]);
    } finally {
      await app.close();
      await seeded.cleanup();
    }
  });
});
