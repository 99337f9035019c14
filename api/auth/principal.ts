/**
 * A person's roles, read from the data (domain/policy.ts says what each role may do):
 * - Ufficio di Piano and segreteria: rows the coordinator edits (UfficioDiPianoMember, Segreteria);
 * - convener: the bodies convened by the person's organisation (ATS staff for every Cabina di Regia);
 * - member: seats held today, as holder or standing delegate;
 * - oversight: the Presidente dell'Assemblea's seat and the seats of the Sovraintendenza, over their ambito;
 * - invitee: meetings the person was invited to without holding a seat (a one-meeting delegate).
 * Read on every signed-in request, in the same query as the token or session.
 */
import type { Principal } from '../../domain/policy';
import type { Database, Prisma } from '../../prisma/client';
import { heldOn, romeDayEnds } from '../../prisma/membership-days';
import { stampedCache } from '../stamps';

/** The Presidente dell'Assemblea's seat code (prisma/seed/bodies.ts). */
const PRESIDENTE_SEAT = 'presidente-assemblea';

const seatBody = {
  select: { seat: { select: { code: true, body: { select: { id: true, kind: true, ambitoId: true } } } } },
} as const;

/**
 * What a request needs of its person: name, address and what their roles are read from. A selection, so the
 * token or session lookup reads the person in the same query (api/auth/plugin.ts).
 */
function personWithRoles(now: Date) {
  const current = {
    where: heldOn(now),
    ...seatBody,
  };
  return {
    select: {
      id: true,
      fullName: true,
      email: true,
      organisation: { select: { convenes: { select: { id: true } } } },
      udpOf: { select: { ambitoId: true } },
      segreteriaOf: { select: { bodyId: true } },
      memberships: current,
      delegateFor: current,
      invitations: { where: { seatId: null }, select: { meetingId: true } },
    },
  } satisfies Prisma.PersonDefaultArgs;
}

export type PersonWithRoles = Prisma.PersonGetPayload<ReturnType<typeof personWithRoles>>;

/** The person's name and address for the page, and their roles on the day personWithRoles was read. */
export function withPrincipal(person: PersonWithRoles) {
  const { memberships, delegateFor } = person;
  const oversight = memberships.filter(
    (m) => m.seat.body.kind === 'sovraintendenza' || m.seat.code === PRESIDENTE_SEAT,
  );
  const principal: Principal = {
    personId: person.id,
    udpOf: person.udpOf.map((u) => u.ambitoId),
    oversightOf: unique(oversight.map((m) => m.seat.body.ambitoId)),
    segreteriaOf: person.segreteriaOf.map((s) => s.bodyId),
    convenerOf: person.organisation?.convenes.map((b) => b.id) ?? [],
    memberOf: unique([...memberships, ...delegateFor].map((m) => m.seat.body.id)),
    invitedTo: person.invitations.map((i) => i.meetingId),
  };
  return { fullName: person.fullName, email: person.email, principal };
}

/** The person's roles today (withPrincipal). */
export async function loadPrincipal(db: Database, personId: string, now: Date): Promise<Principal> {
  const person = await db.person.findUnique({ where: { id: personId }, ...personWithRoles(now) });
  if (!person) throw new Error(`Persona sconosciuta: ${personId}`);
  return withPrincipal(person).principal;
}

/** What a token or session row includes to read its person in the same query. */
export const withPerson = (now: Date) => ({ person: personWithRoles(now) });

/**
 * Token or session rows read with withPerson, kept by the access stamp (api/stamps.ts), and until the day
 * ends in Rome: seats begin and end on dates (prisma/membership-days.ts), so roles read at `now` hold until
 * then with no write. An unknown one is not kept: guessing must not fill it.
 */
export function rowsWithPerson<Row extends { person: PersonWithRoles }>() {
  const kept = stampedCache<Row | null>('access', 1_000);
  return (db: Database, key: string, now: Date, read: () => Promise<Row | null>) =>
    kept(db, key, now.getTime(), async () => {
      const row = await read();
      return { value: row, until: row ? romeDayEnds(now) : now.getTime() };
    });
}

const unique = (values: string[]) => [...new Set(values)];
