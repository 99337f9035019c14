/**
 * Ambiti are tenants. Most records name their ambito (bodies, deliverables); people and messages belong to
 * one through their organisation or the bodies they sit on (ATS staff belong to every ambito whose Cabina di
 * Regia they sit on). These filters say so once, for every list that must not show another ambito's records.
 */
import type { Database, Prisma } from '../../prisma/client';

const bodyInAmbito = (ambitoId: string): Prisma.BodyWhereInput => ({
  OR: [{ ambitoId }, { spansAmbiti: { some: { ambitoId } } }],
});

/** People of the ambito: its organisations' staff, and whoever holds or stands in for a seat on its bodies. */
export const personInAmbito = (ambitoId: string): Prisma.PersonWhereInput => ({
  OR: [
    { organisation: { ambitoId } },
    { memberships: { some: { seat: { body: bodyInAmbito(ambitoId) } } } },
    { delegateFor: { some: { seat: { body: bodyInAmbito(ambitoId) } } } },
  ],
});

/** The ambiti a person belongs to (see personInAmbito). */
export async function ambitiOfPerson(db: Database, personId: string): Promise<string[]> {
  const person = await db.person.findUnique({
    where: { id: personId },
    select: {
      organisation: { select: { ambitoId: true } },
      memberships: { select: { seat: { select: { body: { select: { ambitoId: true } } } } } },
      delegateFor: { select: { seat: { select: { body: { select: { ambitoId: true } } } } } },
    },
  });
  if (!person) return [];
  return [
    ...new Set(
      [
        person.organisation?.ambitoId,
        ...[...person.memberships, ...person.delegateFor].map((m) => m.seat.body.ambitoId),
      ].filter((id): id is string => !!id),
    ),
  ];
}
