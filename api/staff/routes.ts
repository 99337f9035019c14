/**
 * Who holds the roles the coordinator names (domain/policy.ts): the Ufficio di Piano of the ambito (everything
 * in it) and the segreteria of each body (prepares its meetings). Every change is audited with who made it;
 * the last member of an Ufficio di Piano cannot be removed, so a district never locks itself out.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveAmbito } from '../ambiti/resolve';
import { addToSegreteria, removeFromSegreteria } from '../bodies/seats';
import { actorOf } from '../temporal';
import { addToUfficioDiPiano, removeFromUfficioDiPiano } from './operations';

const PersonParams = z.object({
  personId: z.uuid({ message: "atteso l'identificativo (UUID) di una persona" }),
});
const SegreteriaParams = PersonParams.extend({
  id: z.uuid({ message: "atteso l'identificativo (UUID) di un organo" }),
});

const person = { select: { id: true, fullName: true, email: true } } as const;

export const staffRoutes: FastifyPluginAsync = async (app) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  api.get('/staff', { config: { access: { action: 'ambito.read', on: 'ambito' } } }, async (request) => {
    const ambito = await resolveAmbito(db, undefined, request.viewer);
    const [udp, bodies] = await Promise.all([
      db.ufficioDiPianoMember.findMany({ where: { ambitoId: ambito.id }, select: { person } }),
      db.body.findMany({
        where: { ambitoId: ambito.id },
        orderBy: { name: 'asc' },
        select: { id: true, name: true, segreteria: { select: { person } } },
      }),
    ]);
    return {
      ufficioDiPiano: udp.map((m) => m.person),
      segreterie: bodies.map((b) => ({
        body: { id: b.id, name: b.name },
        people: b.segreteria.map((s) => s.person),
      })),
    };
  });

  api.put(
    '/staff/ufficio-di-piano/:personId',
    { config: { access: { action: 'ambito.manage', on: 'ambito' } }, schema: { params: PersonParams } },
    async (request, reply) => {
      const { personId } = request.params;
      const ambito = await resolveAmbito(db, undefined, request.viewer);
      await addToUfficioDiPiano(db, actorOf(request), ambito.id, personId);
      return reply.status(204).send();
    },
  );

  api.delete(
    '/staff/ufficio-di-piano/:personId',
    { config: { access: { action: 'ambito.manage', on: 'ambito' } }, schema: { params: PersonParams } },
    async (request, reply) => {
      const ambito = await resolveAmbito(db, undefined, request.viewer);
      await removeFromUfficioDiPiano(db, actorOf(request), ambito.id, request.params.personId);
      return reply.status(204).send();
    },
  );

  api.put(
    '/bodies/:id/segreteria/:personId',
    { config: { access: { action: 'body.manage', on: 'body' } }, schema: { params: SegreteriaParams } },
    async (request, reply) => {
      const { id, personId } = request.params;
      await addToSegreteria({ db, actor: actorOf(request) }, id, personId);
      return reply.status(204).send();
    },
  );

  api.delete(
    '/bodies/:id/segreteria/:personId',
    { config: { access: { action: 'body.manage', on: 'body' } }, schema: { params: SegreteriaParams } },
    async (request, reply) => {
      const { id, personId } = request.params;
      await removeFromSegreteria({ db, actor: actorOf(request) }, id, personId);
      return reply.status(204).send();
    },
  );
};
