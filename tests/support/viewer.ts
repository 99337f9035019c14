/**
 * Until sign-in lands in this branch (issue 9), nothing sets `request.viewer`: this test-only hook sets it
 * from the person `actAs` names, with the roles the test gives them. Remove it once actAs returns a real
 * Bearer token and the auth plugin reads the roles from the data.
 */
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../domain/policy';
import type { PrismaClient } from '../../prisma/client';

export type Roles = Omit<Principal, 'personId'>;

export const NO_ROLES: Roles = { udpOf: [], oversightOf: [], segreteriaOf: [], convenerOf: [], memberOf: [] };

export function viewersFromActAs(
  app: FastifyInstance,
  db: PrismaClient,
  roles: Map<string, Partial<Roles>>,
): void {
  app.addHook('onRequest', async (request) => {
    const raw = request.headers['x-utente'];
    // Browsers send the header's UTF-8 bytes, which Node reads as Latin-1 ("Città" arrives as "CittÃ ").
    const names = typeof raw === 'string' ? [raw, Buffer.from(raw, 'latin1').toString('utf8')] : [];
    const person = names.length ? await db.person.findFirst({ where: { fullName: { in: names } } }) : null;
    request.viewer = person
      ? {
          personId: person.id,
          fullName: person.fullName,
          email: person.email,
          principal: { personId: person.id, ...NO_ROLES, ...roles.get(person.email) },
          tokenName: null,
        }
      : null;
  });
}
