/**
 * A person's roles, read from the data (domain/policy.ts says what each role may do):
 * - Ufficio di Piano and segreteria: rows the coordinator edits (UfficioDiPianoMember, Segreteria);
 * - convener: the bodies convened by the person's organisation (ATS staff for every Cabina di Regia);
 * - member: seats held today, as holder or standing delegate;
 * - oversight: the Presidente dell'Assemblea's seat and the seats of the Sovraintendenza, over their ambito;
 * - invitee: meetings the person was invited to without holding a seat (a one-meeting delegate).
 */
import type { Principal } from '../../domain/policy';
import type { Database } from '../../prisma/client';

/** The Presidente dell'Assemblea's seat code (prisma/seed/bodies.ts). */
const PRESIDENTE_SEAT = 'presidente-assemblea';

export async function loadPrincipal(db: Database, personId: string, now: Date): Promise<Principal> {
  const [person, udp, segreteria, memberships, invitations] = await Promise.all([
    db.person.findUniqueOrThrow({ where: { id: personId }, select: { organisationId: true } }),
    db.ufficioDiPianoMember.findMany({ where: { personId }, select: { ambitoId: true } }),
    db.segreteria.findMany({ where: { personId }, select: { bodyId: true } }),
    db.membership.findMany({
      where: {
        OR: [{ personId }, { delegatePersonId: personId }],
        validFrom: { lte: now },
        AND: [{ OR: [{ validTo: null }, { validTo: { gte: startOfDay(now) } }] }],
      },
      select: {
        personId: true,
        seat: { select: { code: true, body: { select: { id: true, kind: true, ambitoId: true } } } },
      },
    }),
    db.invitation.findMany({ where: { personId, seatId: null }, select: { meetingId: true } }),
  ]);
  const convened = person.organisationId
    ? await db.body.findMany({
        where: { convenerOrganisationId: person.organisationId },
        select: { id: true },
      })
    : [];
  const oversight = memberships.filter(
    (m) =>
      m.personId === personId && (m.seat.body.kind === 'sovraintendenza' || m.seat.code === PRESIDENTE_SEAT),
  );
  return {
    personId,
    udpOf: udp.map((u) => u.ambitoId),
    oversightOf: unique(oversight.map((m) => m.seat.body.ambitoId)),
    segreteriaOf: segreteria.map((s) => s.bodyId),
    convenerOf: convened.map((b) => b.id),
    memberOf: unique(memberships.map((m) => m.seat.body.id)),
    invitedTo: invitations.map((i) => i.meetingId),
  };
}

const unique = (values: string[]) => [...new Set(values)];

/** Membership days are calendar dates: one ending today still counts today. */
function startOfDay(now: Date): Date {
  return new Date(now.toISOString().slice(0, 10) + 'T00:00:00Z');
}
