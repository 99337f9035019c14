/**
 * /api/v1/deliverables: the year's list, and what people do to one deliverable (submit a stage, approve,
 * extend the deadline, waive). The deliverable workflow applies each event (stage, due date, history) through
 * its activity; the API validates against the stored state, audits who asked and delivers the signal
 * (api/temporal.ts, kind 2).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveAmbito } from '../ambiti/resolve';
import { actorOf, type GovernanceOptions } from '../temporal';
import {
  ACCEPTED,
  DeliverableParams,
  Extend,
  Submit,
  Waive,
  approveDeliverable,
  extendDeliverable,
  submitDeliverable,
  waiveDeliverable,
  type DeliverableContext,
} from './operations';
import { civilOfColumn, dateColumnsOfYear } from '../../prisma/date-columns';

const ListQuery = z
  .object({
    year: z.coerce
      .number({ message: 'atteso un anno, es. 2027' })
      .int('atteso un anno, es. 2027')
      .min(2000, 'anno non plausibile')
      .max(2100, 'anno non plausibile'),
    ambito: z.string().trim().min(1).optional(),
  })
  .strict();

export const deliverablesRoutes: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** Deliverables due in the year (their final deadline), of the ambito, earliest first. */
  api.get(
    '/deliverables',
    { config: { access: { action: 'ambito.read', on: 'ambito' } }, schema: { querystring: ListQuery } },
    async (request) => {
      const { year, ambito: code } = request.query;
      const ambito = await resolveAmbito(db, code, request.viewer);
      const [rows, types] = await Promise.all([
        db.deliverable.findMany({
          where: {
            ambitoId: ambito.id,
            dueDate: dateColumnsOfYear(year),
          },
          orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }],
        }),
        db.deliverableType.findMany({ where: { ambitoId: ambito.id } }),
      ]);
      const nameOf = new Map(types.map((t) => [t.kind, t.name]));
      return {
        ambito: { code: ambito.code, name: ambito.name },
        year,
        deliverables: rows.map((d) => ({
          id: d.id,
          kind: d.kind,
          name: nameOf.get(d.kind) ?? d.kind,
          referenceYear: d.referenceYear,
          referencePeriod: d.referencePeriod,
          stage: d.stage,
          status: d.status,
          dueDate: civilOfColumn(d.dueDate),
          escalationLevel: d.escalationLevel,
          ownerRole: d.ownerRole,
        })),
      };
    },
  );

  const ctx = (request: FastifyRequest): DeliverableContext => ({
    db,
    log: request.log,
    governance: options.governance,
    actor: actorOf(request),
  });
  const manage = { access: { action: 'deliverable.manage', on: 'deliverable' } } as const;
  const accepted = (reply: FastifyReply) => reply.status(202).send({ accettata: true, messaggio: ACCEPTED });

  api.post(
    '/deliverables/:id/submit',
    { config: manage, schema: { params: DeliverableParams, body: Submit } },
    async (request, reply) => {
      await submitDeliverable(ctx(request), request.params.id, request.body);
      return accepted(reply);
    },
  );

  api.post(
    '/deliverables/:id/approve',
    { config: manage, schema: { params: DeliverableParams } },
    async (request, reply) => {
      await approveDeliverable(ctx(request), request.params.id);
      return accepted(reply);
    },
  );

  api.post(
    '/deliverables/:id/extend',
    { config: manage, schema: { params: DeliverableParams, body: Extend } },
    async (request, reply) => {
      await extendDeliverable(ctx(request), request.params.id, request.body);
      return accepted(reply);
    },
  );

  api.post(
    '/deliverables/:id/waive',
    { config: manage, schema: { params: DeliverableParams, body: Waive } },
    async (request, reply) => {
      await waiveDeliverable(ctx(request), request.params.id, request.body);
      return accepted(reply);
    },
  );
};
