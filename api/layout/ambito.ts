/**
 * Which district a page is about: the signed-in person's own (the Ufficio di Piano they belong to, else the
 * one they oversee). Installations serve one district, so pages opened without a person (answer links,
 * sign-in) name that one.
 */
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../prisma/client';
import type { Viewer } from '../auth/access';
import { ownAmbito } from '../ambiti/resolve';
import { RequestRejected } from '../errors';

/** The district's name for the layout's header, or null when it cannot be told (several, none). */
export async function districtName(db: Database, viewer: Viewer | null | undefined): Promise<string | null> {
  const own = await ownAmbito(db, viewer);
  if (own) return own.name;
  const ambiti = await db.ambito.findMany({ take: 2, select: { name: true } });
  return ambiti.length === 1 ? ambiti[0]!.name : null;
}

/** The ambito an Ufficio di Piano page works on (its routes declare an ambito action, so there is one). */
export async function pageAmbito(db: Database, request: FastifyRequest) {
  const own = await ownAmbito(db, request.viewer);
  if (!own)
    throw new RequestRejected(
      403,
      'ambito_non_determinato',
      'Nessun ambito associato alla persona collegata.',
    );
  return own;
}
