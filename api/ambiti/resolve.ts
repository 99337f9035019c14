/**
 * Which ambito a request is about. Most installations serve one district, so `ambito` may be omitted
 * there; with several, it defaults to the signed-in person's own, or the caller names it by code.
 */
import type { Database } from '../../prisma/client';
import type { Viewer } from '../auth/access';
import { homeAmbito } from '../auth/guard';
import { RequestRejected } from '../errors';

/** The ambito named by `code`, else the signed-in person's own, else the only one configured. */
export async function resolveAmbito(db: Database, code: string | undefined, viewer: Viewer | null = null) {
  if (code !== undefined) {
    const ambito = await db.ambito.findUnique({ where: { code } });
    if (!ambito) {
      throw new RequestRejected(404, 'ambito_sconosciuto', `Ambito sconosciuto: ${code}`, [
        { field: 'ambito', message: 'nessun ambito con questo codice' },
      ]);
    }
    return ambito;
  }
  const own = viewer ? homeAmbito(viewer.principal) : null;
  if (own) return db.ambito.findUniqueOrThrow({ where: { id: own } });
  const ambiti = await db.ambito.findMany({ take: 2, orderBy: { code: 'asc' } });
  if (ambiti.length === 1) return ambiti[0]!;
  throw new RequestRejected(
    400,
    'ambito_richiesto',
    ambiti.length === 0
      ? 'Nessun ambito configurato: eseguire il seed o crearne uno.'
      : 'Più ambiti configurati: indicare il parametro ambito (codice).',
    [{ field: 'ambito', message: 'obbligatorio quando gli ambiti sono più di uno' }],
  );
}
