/**
 * Which ambito a request is about. Most installations serve one district, so `ambito` may be omitted
 * there; with several, the caller names it by code.
 */
import type { Database } from '../../prisma/client';
import { RequestRejected } from '../errors';

export async function resolveAmbito(db: Database, code: string | undefined) {
  if (code !== undefined) {
    const ambito = await db.ambito.findUnique({ where: { code } });
    if (!ambito) {
      throw new RequestRejected(404, 'ambito_sconosciuto', `Ambito sconosciuto: ${code}`, [
        { field: 'ambito', message: 'nessun ambito con questo codice' },
      ]);
    }
    return ambito;
  }
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
