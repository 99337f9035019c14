/**
 * Which district a page is about: the signed-in person's own (the Ufficio di Piano they belong to, else the
 * one they oversee). Installations serve one district, so pages opened without a person (answer links)
 * name that one.
 */
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../prisma/client';
import type { Viewer } from '../auth/access';
import { RequestRejected } from '../errors';

function ownAmbitoId(viewer: Viewer | null | undefined): string | undefined {
  return viewer?.principal.udpOf[0] ?? viewer?.principal.oversightOf[0];
}

/** The district's name for the layout's header, or null when it cannot be told (several, none). */
export async function districtName(db: Database, viewer: Viewer | null | undefined): Promise<string | null> {
  const id = ownAmbitoId(viewer);
  if (id) return (await db.ambito.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
  const ambiti = await db.ambito.findMany({ take: 2, select: { name: true } });
  return ambiti.length === 1 ? ambiti[0]!.name : null;
}

/** The ambito an Ufficio di Piano page works on. */
export async function pageAmbito(db: Database, request: FastifyRequest) {
  const id = ownAmbitoId(request.viewer);
  if (id) return db.ambito.findUniqueOrThrow({ where: { id } });
  // AUTH-FALLBACK: without sign-in there is no person to take the ambito from; use the only one seeded.
  const ambiti = await db.ambito.findMany({ take: 2 });
  if (ambiti.length === 1) return ambiti[0]!;
  throw new RequestRejected(403, 'ambito_non_determinato', 'Nessun ambito associato alla persona collegata.');
}
