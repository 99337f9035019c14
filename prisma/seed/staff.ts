/**
 * The seeded Ufficio di Piano: the Responsabile and the Coordinatore UdP (their placeholder people, created
 * with the seats in bodies.ts) may do everything in their ambito. Further staff, and each body's
 * segreteria, are named by the coordinator (API and pages), never by the seed.
 */
import type { Prisma } from '../client';
import type { DistrictKeys } from './keys';

/** Person keys (e-mail local parts) of the seeded Ufficio di Piano. */
export const UFFICIO_DI_PIANO_KEYS = ['responsabile-udp', 'coordinatore-udp'];

export async function seedUfficioDiPiano(
  tx: Prisma.TransactionClient,
  ambitoId: string,
  keys: DistrictKeys,
): Promise<void> {
  const people = await tx.person.findMany({
    where: { email: { in: UFFICIO_DI_PIANO_KEYS.map(keys.placeholderEmail) } },
    select: { id: true },
  });
  await tx.ufficioDiPianoMember.createMany({
    data: people.map((p) => ({ ambitoId, personId: p.id })),
    skipDuplicates: true,
  });
}
