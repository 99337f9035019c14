/**
 * Who receives what: seat holders (or their standing delegates) of a body on a day, and the people behind
 * the roles the escalation ladder names. Roles are found by seat code (see the seed), so renaming a person
 * never breaks a ladder.
 */
import type { EscalationRole } from '../domain/index';
import type { PrismaClient } from '../prisma/client';
import { heldOn } from '../prisma/membership-days';
import type { Recipient } from './compose';

type Db = PrismaClient;

/** Seat codes that mark the Comitato Ristretto's coordinator (not "coordinatore-udp", also a member). */
const CR_COORDINATOR_CODES = [
  'coordinatore',
  'coordinatore-comitato-ristretto',
  'referente-comitato-ristretto',
];

const asRecipient = (p: {
  id: string;
  fullName: string;
  email: string;
  pecEmail: string | null;
}): Recipient => ({
  personId: p.id,
  name: p.fullName,
  email: p.email,
  pecEmail: p.pecEmail,
});

/** One recipient per filled seat: the standing delegate when there is one, else the holder. */
export async function seatRecipients(
  db: Db,
  bodyId: string,
  day: Date,
): Promise<(Recipient & { seatId: string })[]> {
  const memberships = await db.membership.findMany({
    where: { seat: { bodyId }, ...heldOn(day) },
    include: { person: true, delegate: true, seat: true },
    orderBy: { seat: { code: 'asc' } },
  });
  return unique(memberships.map((m) => ({ ...asRecipient(m.delegate ?? m.person), seatId: m.seatId })));
}

/** The one-meeting delegates named in answers to this meeting (notifications/answers/answering.ts). */
export async function oneMeetingDelegates(db: Db, meetingId: string): Promise<Recipient[]> {
  const named = await db.invitation.findMany({
    where: { meetingId, answer: 'delegate', delegatePersonId: { not: null } },
    include: { delegate: true },
    orderBy: { delegateEmail: 'asc' },
  });
  return unique(named.flatMap((i) => (i.delegate ? [asRecipient(i.delegate)] : [])));
}

type CodeFilter = { startsWith: string } | { in: string[] };

/** Holders of the seats of `bodyKind` bodies in the ambito (any body when null) whose code matches. */
async function holders(
  db: Db,
  ambitoId: string,
  bodyKind: string | null,
  code: CodeFilter | undefined,
  day: Date,
) {
  const memberships = await db.membership.findMany({
    where: {
      seat: {
        body: { ambitoId, ...(bodyKind ? { kind: bodyKind as never } : {}) },
        ...(code ? { code } : {}),
      },
      ...heldOn(day),
    },
    include: { person: true },
    orderBy: { seat: { code: 'asc' } },
  });
  return memberships.map((m) => asRecipient(m.person));
}

/** The people behind an escalation role; `owner` is resolved by the caller, who knows what is late. */
export async function roleRecipients(
  db: Db,
  ambitoId: string,
  role: Exclude<EscalationRole, 'owner'>,
  day: Date,
): Promise<Recipient[]> {
  switch (role) {
    case 'responsabile_udp':
      return holders(db, ambitoId, 'udp_nucleo_operativo', { startsWith: 'responsabile' }, day);
    case 'coordinatore_comitato_ristretto': {
      // The Comitato picks its coordinator among its members (000:L357-361); until a seat says who, the
      // Responsabile UdP, who supports the Comitato, is told instead.
      const found = await holders(db, ambitoId, 'comitato_ristretto', { in: CR_COORDINATOR_CODES }, day);
      return found.length > 0 ? found : roleRecipients(db, ambitoId, 'responsabile_udp', day);
    }
    case 'presidente_assemblea': {
      const own = await holders(db, ambitoId, 'assemblea_sindaci', { startsWith: 'presidente' }, day);
      // The seed names the Presidente (Sindaco di Crema) on the Cabina di Regia's seat "presidente-assemblea".
      return own.length > 0
        ? own
        : unique(await holders(db, ambitoId, null, { in: ['presidente-assemblea'] }, day));
    }
    case 'sovraintendenza':
      return holders(db, ambitoId, 'sovraintendenza', undefined, day);
  }
}

/** Who takes the minutes of a body: its `segretario` seat, else the Coordinatore UdP. */
export async function minuteTakers(
  db: Db,
  body: { id: string; ambitoId: string },
  day: Date,
): Promise<Recipient[]> {
  const own = await db.membership.findMany({
    where: { seat: { bodyId: body.id, code: { startsWith: 'segretario' } }, ...heldOn(day) },
    include: { person: true },
  });
  if (own.length > 0) return own.map((m) => asRecipient(m.person));
  const coordinator = await holders(
    db,
    body.ambitoId,
    'udp_nucleo_operativo',
    { startsWith: 'coordinatore' },
    day,
  );
  return coordinator.length > 0 ? coordinator : roleRecipients(db, body.ambitoId, 'responsabile_udp', day);
}

type ConvenedBody = {
  id: string;
  ambitoId: string;
  kind: string;
  convenerOrganisationId: string | null;
  subAmbitoId: string | null;
};

/**
 * The convener of a body: ATS's people for the Cabina di Regia (its convener organisation), the lead comune
 * for a sub-ambito, the Comitato Ristretto's coordinator (000:L357-361), the Presidente for the Assemblea
 * (001:L313-319), else the Responsabile UdP, whose office supports every body.
 */
export async function convenerRecipients(db: Db, body: ConvenedBody, on: Date): Promise<Recipient[]> {
  if (body.convenerOrganisationId) {
    const people = await db.person.findMany({
      where: { organisationId: body.convenerOrganisationId },
      orderBy: { email: 'asc' },
    });
    if (people.length > 0) return people.map(asRecipient);
  }
  if (body.subAmbitoId) {
    const sub = await db.subAmbito.findUniqueOrThrow({ where: { id: body.subAmbitoId } });
    const people = await db.person.findMany({ where: { organisation: { comuneId: sub.leadComuneId } } });
    if (people.length > 0) return people.map(asRecipient);
  }
  if (body.kind === 'comitato_ristretto')
    return roleRecipients(db, body.ambitoId, 'coordinatore_comitato_ristretto', on);
  if (body.kind === 'assemblea_sindaci') return roleRecipients(db, body.ambitoId, 'presidente_assemblea', on);
  return roleRecipients(db, body.ambitoId, 'responsabile_udp', on);
}

/** Who prepares a body's agenda: its convener and its segreteria (named by the coordinator). */
export async function agendaPreparers(db: Db, body: ConvenedBody, on: Date): Promise<Recipient[]> {
  const segreteria = await db.segreteria.findMany({
    where: { bodyId: body.id },
    include: { person: true },
    orderBy: { person: { email: 'asc' } },
  });
  return unique([
    ...(await convenerRecipients(db, body, on)),
    ...segreteria.map((s) => asRecipient(s.person)),
  ]);
}

/** The people of the lead comuni of the sub-ambiti (the Comitato Ristretto reports back to them). */
export async function leadComuniRecipients(db: Db, ambitoId: string): Promise<Recipient[]> {
  const subAmbiti = await db.subAmbito.findMany({ where: { ambitoId }, select: { leadComuneId: true } });
  const people = await db.person.findMany({
    where: { organisation: { comuneId: { in: subAmbiti.map((s) => s.leadComuneId) } } },
    orderBy: { email: 'asc' },
  });
  return people.map(asRecipient);
}

export function unique<R extends Recipient>(recipients: R[]): R[] {
  const seen = new Set<string>();
  return recipients.filter((r) => (seen.has(r.personId) ? false : (seen.add(r.personId), true)));
}
