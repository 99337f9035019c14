/**
 * Who sees which rows of a report. The route declares the policy's action (a member of the body may read
 * its meetings); within it, only the roles that run or oversee the body see everybody's attendance: the
 * Ufficio di Piano and oversight of one of its ambiti, its segreteria, its convener (ATS for every Cabina di
 * Regia it convenes, whatever the ambito). A member sees only the rows where they held or represented a seat.
 */
import type { FastifyRequest } from 'fastify';
import type { Viewer } from '../api/auth/access';
import { RequestRejected } from '../api/errors';
import { ambitiReadable } from '../domain/policy';
import type { AttendanceScope } from './attendance';

export function signedInViewer(request: FastifyRequest): Viewer {
  if (!request.viewer)
    throw new RequestRejected(401, 'accesso_richiesto', 'Occorre accedere con il proprio account.');
  return request.viewer;
}

export function attendanceScope(viewer: Viewer, body: { id: string; ambitoIds: string[] }): AttendanceScope {
  const p = viewer.principal;
  const ambitoWide = body.ambitoIds.some((a) => p.udpOf.includes(a) || p.oversightOf.includes(a));
  if (ambitoWide || p.segreteriaOf.includes(body.id) || p.convenerOf.includes(body.id))
    return { kind: 'all' };
  if (p.memberOf.includes(body.id)) return { kind: 'own', personId: viewer.personId };
  throw new RequestRejected(
    403,
    'non_consentito',
    'Non è possibile consultare le presenze di questo organo.',
  );
}

/** The year's monitoring covers a whole ambito: its Ufficio di Piano and oversight read it. */
export function requireAmbitoReader(viewer: Viewer, ambitoId: string): void {
  if (!ambitiReadable(viewer.principal).has(ambitoId)) {
    throw new RequestRejected(
      403,
      'non_consentito',
      'Non è possibile consultare il monitoraggio di questo ambito.',
    );
  }
}
