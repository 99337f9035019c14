/**
 * A small district for workflow tests: a Comitato Ristretto of three seats (one represented by a standing
 * delegate), the UdP Nucleo Operativo with its Responsabile and Coordinatore (the minute taker, and the
 * district's Ufficio di Piano), the
 * Assemblea with its Presidente, a Sovraintendenza of two, and two sub-ambiti whose lead comuni each have
 * a mayor. Small on purpose: every expected message can be listed by hand.
 */
import { atRome, DEFAULT_RULES, type BodyKind, type DeliverableKind } from '../../domain/index';
import type { Prisma } from '../../prisma/client';

/** The client or a transaction's (tests/hardening/scale-out.test.ts writes a district in one). */
type Db = Prisma.TransactionClient;

/**
 * Where the tests' virtual time begins (the offline server's --start-at): before every date the fixtures and
 * stories plan for (2027), whatever the real date. Begun at the real now, they would fail once the real date
 * passed their meetings. Tests without Temporal that judge those dates take it as their today.
 */
export const VIRTUAL_START = '2026-12-01T00:00:00Z';

export interface District {
  ambitoId: string;
  bodies: Record<'cr' | 'udp' | 'ads' | 'sov', string>;
  people: Record<string, string>;
}

const SINCE = new Date('2020-01-01T00:00:00Z');

export async function createDistrict(db: Db): Promise<District> {
  const ambito = await db.ambito.create({ data: { code: 'test', name: 'Ambito Distrettuale di Prova' } });
  const people: Record<string, string> = {};
  const person = async (key: string, fullName: string, organisationId?: string) => {
    const p = await db.person.create({ data: { fullName, email: `${key}@example.org`, organisationId } });
    people[key] = p.id;
    return p.id;
  };
  const body = async (code: string, kind: BodyKind, name: string) =>
    (
      await db.body.create({
        data: {
          ambitoId: ambito.id,
          code,
          kind,
          name,
          convenerRole: `Convocante di ${name}`,
          rules: DEFAULT_RULES[kind],
        },
      })
    ).id;
  const seat = async (bodyId: string, code: string, holder: string, delegate?: string) => {
    const s = await db.seat.create({ data: { bodyId, code, role: code, designatedBy: 'test' } });
    await db.membership.create({
      data: { seatId: s.id, personId: holder, validFrom: SINCE, delegatePersonId: delegate ?? null },
    });
  };

  // Two sub-ambiti whose lead comuni each have a mayor (the Comitato Ristretto reports back to them).
  for (const n of [1, 2]) {
    const comune = await db.comune.create({ data: { ambitoId: ambito.id, name: `Comune Capofila ${n}` } });
    const org = await db.organisation.create({
      data: { ambitoId: ambito.id, kind: 'comune', name: `Comune di Capofila ${n}`, comuneId: comune.id },
    });
    await person(`sindaco${n}`, `Sindaco Capofila ${n}`, org.id);
    await db.subAmbito.create({
      data: { ambitoId: ambito.id, number: n, name: `Sub-ambito ${n}`, leadComuneId: comune.id },
    });
  }

  const cr = await body('comitato-ristretto', 'comitato_ristretto', 'Comitato Ristretto');
  const udp = await body('udp-nucleo', 'udp_nucleo_operativo', 'Ufficio di Piano – Nucleo Operativo');
  const ads = await body('assemblea-sindaci', 'assemblea_sindaci', 'Assemblea dei Sindaci');
  const sov = await body('sovraintendenza', 'sovraintendenza', 'Sovraintendenza');

  await seat(cr, 'coordinatore', await person('coordcr', 'Coordinatrice del Comitato'));
  await seat(cr, 'rappresentante-1', people.sindaco1!);
  await seat(cr, 'rappresentante-2', people.sindaco2!, await person('assessore2', 'Assessore Delegato 2'));
  await seat(udp, 'responsabile-udp', await person('respudp', 'Responsabile UdP'));
  await seat(udp, 'coordinatore-udp', await person('coordudp', 'Coordinatore UdP'));
  // As the seed does for a real district: the Responsabile and the Coordinatore are its Ufficio di Piano.
  await db.ufficioDiPianoMember.createMany({
    data: [people.respudp!, people.coordudp!].map((personId) => ({ ambitoId: ambito.id, personId })),
  });
  await seat(ads, 'presidente', await person('presidente', 'Presidente Assemblea'));
  await seat(sov, 'membro-1', people.presidente!);
  await seat(sov, 'membro-2', await person('sov2', 'Sindaco Sovraintendente'));
  return { ambitoId: ambito.id, bodies: { cr, udp, ads, sov }, people };
}

/** A meeting of `bodyId` on `day`, 18:00-20:00 in Crema, with the agenda items given (titles, in order). */
export function createMeeting(db: Db, bodyId: string, day: string, agenda: string[] = []) {
  return db.meeting.create({
    data: {
      bodyId,
      plannedDateKey: day,
      startsAt: atRome(day, '18:00').toJSDate(),
      endsAt: atRome(day, '20:00').toJSDate(),
      place: 'Sala Giunta, Comune di Crema',
      agendaItems: { create: agenda.map((title, i) => ({ position: i + 1, title })) },
    },
  });
}

/** A deliverable of the ambito for `period` ("2026", "2027-S1"), owned by the Responsabile UdP, due on `due`. */
export function createDeliverable(
  db: Db,
  ambitoId: string,
  kind: DeliverableKind,
  period: string,
  due: string,
) {
  return db.deliverable.create({
    data: {
      ambitoId,
      kind,
      referenceYear: Number(period.slice(0, 4)),
      referencePeriod: period,
      ownerRole: 'Responsabile UdP',
      dueDate: new Date(`${due}T00:00:00Z`),
    },
  });
}
