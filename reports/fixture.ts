/**
 * A Cabina di Regia of four seats with a year of sessions whose attendance is counted by hand in the tests
 * (reports/attendance.test.ts, reports/routes.test.ts). Names carry accents on purpose: the exports must
 * keep them.
 *
 * Seats: the Presidente (Ada, Comune di Crema, standing delegate Bruno); the CSC director (Carla until
 * 30 June 2027, then Dario, both of the Comunità Sociale Cremasca); the ATS director (Elena); an ATS guest
 * seat that does not vote (Fabio). Held sessions with a roll call on 10 February, 12 May, 15 September and
 * 17 November 2027; one held on 1 December without a roll call; one cancelled on 1 March.
 */
import { DEFAULT_RULES } from '../domain/index';
import type { PrismaClient } from '../prisma/client';

export interface AttendanceFixture {
  ambitoId: string;
  bodyId: string;
  atsOrganisationId: string;
  people: Record<
    'ada' | 'bruno' | 'carla' | 'dario' | 'elena' | 'fabio' | 'hugo',
    { id: string; email: string }
  >;
  meetings: Record<'feb' | 'may' | 'sep' | 'nov' | 'dec' | 'cancelled', string>;
}

/** `atsOrganisationId`: an ATS created by another fixture, so one ATS convenes the Cabina di Regia of both ambiti. */
export async function createAttendanceFixture(
  db: PrismaClient,
  tag = 'r',
  atsOrganisationId?: string,
): Promise<AttendanceFixture> {
  const ambito = await db.ambito.create({
    data: { code: `presenze-${tag}`, name: `Ambito delle presenze ${tag}` },
  });
  const org = (name: string, kind: 'comune' | 'csc' | 'ats') =>
    db.organisation.create({
      data: { name: `${name} (${tag})`, kind, ambitoId: kind === 'ats' ? null : ambito.id },
    });
  const crema = await org('Comune di Crema', 'comune');
  const csc = await org('Comunità Sociale Cremasca', 'csc');
  const ats = atsOrganisationId ? { id: atsOrganisationId } : await org('ATS Val Padana', 'ats');
  const person = async (key: string, fullName: string, organisationId: string) => {
    const email = `${key}.${tag}@example.org`;
    const p = await db.person.create({ data: { fullName, email, organisationId } });
    return { id: p.id, email };
  };
  const people = {
    ada: await person('ada', 'Ada Bonì', crema.id),
    bruno: await person('bruno', 'Bruno Città', crema.id),
    carla: await person('carla', 'Carla Perù', csc.id),
    dario: await person('dario', 'Dario Sciò', csc.id),
    elena: await person('elena', 'Elena Marè', ats.id),
    fabio: await person('fabio', 'Fabio Gioià', ats.id),
    hugo: await person('hugo', 'Hugo Lucà', ats.id),
  };
  const body = await db.body.create({
    data: {
      ambitoId: ambito.id,
      code: 'cabina-di-regia',
      kind: 'cabina_di_regia',
      name: 'Cabina di Regia Integrata',
      convenerRole: 'Direttore Sociosanitario di ATS Val Padana',
      convenerOrganisationId: ats.id,
      rules: DEFAULT_RULES.cabina_di_regia,
      spansAmbiti: { create: { ambitoId: ambito.id } },
    },
  });
  const seat = (code: string, role: string, votes = true) =>
    db.seat.create({ data: { bodyId: body.id, code, role, designatedBy: 'prova', votes } });
  const membership = (seatId: string, personId: string, from: string, to: string | null, delegate?: string) =>
    db.membership.create({
      data: {
        seatId,
        personId,
        validFrom: new Date(from),
        validTo: to ? new Date(to) : null,
        delegatePersonId: delegate ?? null,
      },
    });
  const presidente = await seat('presidente', "Presidente dell'Assemblea dei Sindaci");
  const csc1 = await seat('direttore-csc', "Direttore dell'azienda sociale");
  const atsSeat = await seat('direttore-ats', 'Direttore Sociosanitario di ATS');
  const guest = await seat('ospite-ats', 'Referente ATS invitato', false);
  await membership(presidente.id, people.ada.id, '2020-01-01', null, people.bruno.id);
  await membership(csc1.id, people.carla.id, '2020-01-01', '2027-06-30');
  await membership(csc1.id, people.dario.id, '2027-07-01', null);
  await membership(atsSeat.id, people.elena.id, '2020-01-01', null);
  await membership(guest.id, people.fabio.id, '2020-01-01', null);

  const meeting = (day: string, status: 'held' | 'closed' | 'cancelled') =>
    db.meeting
      .create({
        data: {
          bodyId: body.id,
          plannedDateKey: day,
          status,
          startsAt: new Date(`${day}T09:00:00Z`),
          endsAt: new Date(`${day}T11:00:00Z`),
        },
      })
      .then((m) => m.id);
  const meetings = {
    feb: await meeting('2027-02-10', 'closed'),
    cancelled: await meeting('2027-03-01', 'cancelled'),
    may: await meeting('2027-05-12', 'closed'),
    sep: await meeting('2027-09-15', 'held'),
    nov: await meeting('2027-11-17', 'held'),
    dec: await meeting('2027-12-01', 'held'),
  };
  let n = 0;
  const answer = (
    meetingId: string,
    personId: string,
    value: 'present' | 'absent' | 'delegate',
    delegateEmail?: string,
  ) =>
    db.invitation.create({
      data: {
        meetingId,
        personId,
        tokenHash: `${tag}-fixture-${n++}`,
        tokenExpiresAt: new Date('2028-01-01T00:00:00Z'),
        answer: value,
        delegateEmail: delegateEmail ?? null,
      },
    });
  // Rows as the meeting workflow stores them: the seat, and whether the record counted for the quorum.
  const seatOf = new Map([
    [people.ada.id, presidente.id],
    [people.bruno.id, presidente.id],
    [people.carla.id, csc1.id],
    [people.dario.id, csc1.id],
    [people.elena.id, atsSeat.id],
    [people.fabio.id, guest.id],
  ]);
  const roll = (
    meetingId: string,
    personId: string,
    status: 'present' | 'delegate' | 'absent' | 'absent_justified',
    delegate?: { name: string; personId?: string },
  ) =>
    db.attendance.create({
      data: {
        meetingId,
        personId,
        seatId: seatOf.get(personId)!,
        status,
        delegateName: delegate?.name ?? null,
        delegatePersonId: delegate?.personId ?? null,
        countsForQuorum: (status === 'present' || status === 'delegate') && personId !== people.fabio.id,
      },
    });

  // February: Ada and Carla present, Elena apologised (recorded justified), Fabio present.
  await answer(meetings.feb, people.elena.id, 'absent');
  await roll(meetings.feb, people.ada.id, 'present');
  await roll(meetings.feb, people.carla.id, 'present');
  await roll(meetings.feb, people.elena.id, 'absent_justified');
  await roll(meetings.feb, people.fabio.id, 'present');
  // May: Bruno (standing delegate) for Ada, Carla absent without a word, Elena present, Fabio absent.
  await roll(meetings.may, people.bruno.id, 'present');
  await roll(meetings.may, people.carla.id, 'absent');
  await roll(meetings.may, people.elena.id, 'present');
  await roll(meetings.may, people.fabio.id, 'absent');
  // September: Ada sends an assessora, Dario present, Elena sends Hugo for this meeting only (named in her
  // answer), Fabio present.
  await answer(meetings.sep, people.elena.id, 'delegate', people.hugo.email);
  await roll(meetings.sep, people.ada.id, 'delegate', { name: 'Assessora Gioia Lucà' });
  await roll(meetings.sep, people.dario.id, 'present');
  await roll(meetings.sep, people.elena.id, 'delegate', { name: 'Hugo Lucà', personId: people.hugo.id });
  await roll(meetings.sep, people.fabio.id, 'present');
  // November: Ada apologised and the roll call says nothing of her seat; Dario absent; Elena and Fabio present.
  await answer(meetings.nov, people.ada.id, 'absent');
  await roll(meetings.nov, people.dario.id, 'absent');
  await roll(meetings.nov, people.elena.id, 'present');
  await roll(meetings.nov, people.fabio.id, 'present');

  return { ambitoId: ambito.id, bodyId: body.id, atsOrganisationId: ats.id, people, meetings };
}
