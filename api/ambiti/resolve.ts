/**
 * Which ambito a request is about. Most installations serve one district, so `ambito` may be omitted
 * there; with several, it defaults to the signed-in person's own, or the caller names it by code.
 */
import type { Ambito, Database } from '../../prisma/client';
import type { Viewer } from '../auth/access';
import { homeAmbito } from '../auth/guard';
import { RequestRejected } from '../errors';

const ownAmbiti = new WeakMap<Viewer, Promise<Ambito | null>>();

/**
 * The signed-in person's own ambito (homeAmbito), or null. Read once per request (the viewer is built per
 * request), however many parts of a page ask: the page's data, its access check, the layout's header.
 */
export function ownAmbito(db: Database, viewer: Viewer | null | undefined): Promise<Ambito | null> {
  const id = viewer ? homeAmbito(viewer.principal) : null;
  if (!viewer || !id) return Promise.resolve(null);
  let ambito = ownAmbiti.get(viewer);
  if (!ambito) ownAmbiti.set(viewer, (ambito = db.ambito.findUnique({ where: { id } })));
  return ambito;
}

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
  const own = await ownAmbito(db, viewer);
  if (own) return own;
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
