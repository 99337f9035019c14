/**
 * The Ufficio di Piano role: who may do everything in an ambito. One implementation for the JSON routes
 * (api/staff/routes.ts) and the Persone page's buttons: audited on the person, and the last member of an
 * Ufficio di Piano cannot be removed, so a district never locks itself out.
 */
import type { Database } from '../../prisma/client';
import { RequestRejected } from '../errors';
import { takenInBy } from '../people/operations';

/** Audited on the person whose role changed; `where` is the ambito or the body. */
export function staffAudit(actor: string, action: string, personId: string, where: string) {
  return { actor, action, entity: 'person', entityId: personId, data: { where } };
}

/** Adds the person to the ambito's Ufficio di Piano; nothing happens (and nothing is audited) when already in. */
export async function addToUfficioDiPiano(db: Database, actor: string, ambitoId: string, personId: string) {
  // Another ambito's person would become this ambito's to edit, address included: an account to take over.
  const person = await db.person.findFirst({
    where: { AND: [{ id: personId }, takenInBy([ambitoId])] },
    select: { id: true },
  });
  if (!person) {
    throw new RequestRejected(404, 'persona_sconosciuta', 'Nessuna persona con questo identificativo.', [
      { field: 'personId', message: 'persona sconosciuta' },
    ]);
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.ufficioDiPianoMember.createMany({
      data: [{ ambitoId, personId }],
      skipDuplicates: true,
    });
    if (count) await tx.auditEvent.create({ data: staffAudit(actor, 'staff.udp_added', personId, ambitoId) });
  });
}

/** Removes the person from the ambito's Ufficio di Piano, unless they are its last member. */
export async function removeFromUfficioDiPiano(
  db: Database,
  actor: string,
  ambitoId: string,
  personId: string,
) {
  await db.$transaction(async (tx) => {
    // Two removals at once would each count the other still there and leave nobody: the ambito's row
    // lock makes the second count after the first has committed.
    await tx.$queryRaw`SELECT 1 AS locked FROM "Ambito" WHERE "id" = ${ambitoId}::uuid FOR UPDATE`;
    const members = await tx.ufficioDiPianoMember.findMany({ where: { ambitoId } });
    if (!members.some((m) => m.personId === personId)) {
      throw new RequestRejected(404, 'ruolo_assente', "La persona non fa parte dell'Ufficio di Piano.");
    }
    if (members.length === 1) {
      throw new RequestRejected(
        409,
        'ultimo_componente',
        "È l'ultima persona dell'Ufficio di Piano: aggiungerne un'altra prima di toglierla, o nessuno potrebbe più gestire l'ambito.",
      );
    }
    await tx.ufficioDiPianoMember.deleteMany({ where: { ambitoId, personId } });
    await tx.auditEvent.create({ data: staffAudit(actor, 'staff.udp_removed', personId, ambitoId) });
  });
}
