/**
 * /api/v1/bodies: the governance bodies of an ambito with their rules, and the coordinator's change of a
 * body's rules (cadence, notice, minutes, compliance, quorum). The rules are stored here (the database owns
 * them); the body's series is then told, and applies them from its next occurrence: meetings already
 * planned keep the date their members were given.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveAmbito } from '../ambiti/resolve';
import type { GovernanceOptions } from '../temporal';
import { loadBodies } from './load';
import { actorOf } from '../temporal';
import { changeBodyRules, RulesChange, rulesContext } from './operations';
import {
  AssignHolder,
  assignHolder,
  EndMembership,
  endMembership,
  seatContext,
  SetDelegate,
  setDelegate,
  type SeatOptions,
} from './seats';

const Query = z.object({ ambito: z.string().trim().min(1).optional() }).strict();
const BodyParams = z
  .object({ id: z.uuid({ message: "atteso l'identificativo (UUID) dell'organo" }) })
  .strict();
const SeatParams = BodyParams.extend({
  seatId: z.uuid({ message: "atteso l'identificativo (UUID) del seggio" }),
}).strict();
const MembershipParams = BodyParams.extend({
  membershipId: z.uuid({ message: "atteso l'identificativo (UUID) dell'incarico" }),
}).strict();
const manage = { access: { action: 'body.manage', on: 'body' } } as const;

export const bodiesRoutes: FastifyPluginAsync<GovernanceOptions & SeatOptions> = async (app, options) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  api.get(
    '/bodies',
    { config: { access: { action: 'ambito.read', on: 'ambito' } }, schema: { querystring: Query } },
    async (request) => {
      const ambito = await resolveAmbito(db, request.query.ambito, request.viewer);
      const bodies = await loadBodies(db, ambito.id);
      return {
        ambito: { code: ambito.code, name: ambito.name },
        bodies: bodies.map((body) => ({
          id: body.id,
          code: body.code,
          name: body.name,
          kind: body.kind,
          convenerRole: body.convenerRole,
          convenerOrganisation: body.convenerOrganisation?.name ?? null,
          subAmbito: body.subAmbito,
          source: body.source,
          rules: body.rules,
        })),
      };
    },
  );

  /**
   * PATCH /api/v1/bodies/:id/rules: each section given replaces the current one whole; the others stay.
   * Stored and audited in one transaction, then the series is told (or started, for a body that gains a
   * cadence); when Temporal cannot be reached the answer is 202 and the reconciler starts it later.
   * `avvisi` lists, in Italian, the plan problems the new rules give (an Assemblea convened before the
   * Comitato Ristretto has reviewed what it approves), this year and the next two.
   */
  api.patch(
    '/bodies/:id/rules',
    {
      config: { access: { action: 'body.rules.change', on: 'body' } },
      schema: { params: BodyParams, body: RulesChange },
    },
    async (request, reply) => {
      const { body, rules, processo, avvisi } = await changeBodyRules(
        await rulesContext(db, request, options),
        request.params.id,
        request.body,
      );
      return reply.status(processo.stato === 'notificato' ? 200 : 202).send({
        body: { id: body.id, code: body.code, name: body.name, rules },
        messaggio:
          'Regole aggiornate: valgono dalla prossima riunione da pianificare; ' +
          'le riunioni già pianificate restano alla data comunicata.',
        processo,
        avvisi,
      });
    },
  );

  /** POST /api/v1/bodies/:id/seats/:seatId/holders: the person holds the seat from `validFrom`. */
  api.post(
    '/bodies/:id/seats/:seatId/holders',
    { config: manage, schema: { params: SeatParams, body: AssignHolder } },
    async (request, reply) => {
      const { id, seatId } = request.params;
      const membership = await assignHolder(await seatContext(request, options), id, seatId, request.body);
      return reply.status(201).send({ membership });
    },
  );

  /** PUT /api/v1/bodies/:id/memberships/:membershipId/delegate: sets the standing delegate, or clears it (null). */
  api.put(
    '/bodies/:id/memberships/:membershipId/delegate',
    { config: manage, schema: { params: MembershipParams, body: SetDelegate } },
    async (request) => {
      const { id, membershipId } = request.params;
      return {
        membership: await setDelegate(await seatContext(request, options), id, membershipId, request.body),
      };
    },
  );

  /** POST /api/v1/bodies/:id/memberships/:membershipId/end: the holder leaves the seat after `validTo`. */
  api.post(
    '/bodies/:id/memberships/:membershipId/end',
    { config: manage, schema: { params: MembershipParams, body: EndMembership } },
    async (request) => {
      const { id, membershipId } = request.params;
      return {
        membership: await endMembership({ db, actor: actorOf(request) }, id, membershipId, request.body),
      };
    },
  );
};
