/**
 * /api/v1/deliverables: the year's list, and what people do to one deliverable (submit a stage, approve,
 * extend the deadline, waive). The deliverable workflow applies each event (stage, due date, history) through
 * its activity; the API validates against the stored state, audits who asked and delivers the signal
 * (api/temporal.ts, kind 2).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CivilDate, endOfDay } from '../../domain/index';
import type { DeliverableStage } from '../../prisma/client';
import { resolveAmbito } from '../ambiti/resolve';
import { RequestRejected } from '../errors';
import { actorOf, auditedSignal, signalDeliverableWithStart, type GovernanceOptions } from '../temporal';

const Params = z
  .object({ id: z.uuid({ message: "atteso l'identificativo (UUID) di un adempimento" }) })
  .strict();

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

const OPEN_STAGES = ['udp_draft', 'cr_review', 'ads_approval'] as const;
const STAGE_LABEL: Record<DeliverableStage, string> = {
  udp_draft: "bozza dell'Ufficio di Piano",
  cr_review: 'esame del Comitato Ristretto',
  ads_approval: "approvazione dell'Assemblea dei Sindaci",
  completed: 'concluso',
};

const Submit = z
  .object({ stage: z.enum(OPEN_STAGES, { message: 'atteso udp_draft, cr_review o ads_approval' }) })
  .strict();
const Reason = z.string().trim().min(3, 'indicare il motivo (almeno 3 caratteri)').max(1000);
const Extend = z.object({ dueAt: CivilDate, reason: Reason }).strict();
const Waive = z.object({ reason: Reason }).strict();

const ACCEPTED = "Richiesta accettata: il processo dell'adempimento la applica e aggiorna le scadenze.";

const civil = (d: Date) => d.toISOString().slice(0, 10);

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
            dueDate: { gte: new Date(`${year}-01-01T00:00:00Z`), lte: new Date(`${year}-12-31T00:00:00Z`) },
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
          dueDate: civil(d.dueDate),
          escalationLevel: d.escalationLevel,
          ownerRole: d.ownerRole,
        })),
      };
    },
  );

  /** The deliverable, still open (not approved, not waived). */
  async function openDeliverable(id: string) {
    const d = await db.deliverable.findUnique({ where: { id } });
    if (!d) {
      throw new RequestRejected(404, 'adempimento_sconosciuto', `Adempimento sconosciuto: ${id}`, [
        { field: 'id', message: 'nessun adempimento con questo identificativo' },
      ]);
    }
    if (d.status === 'approved' || d.status === 'waived' || d.stage === 'completed') {
      throw new RequestRejected(
        409,
        'adempimento_concluso',
        `L'adempimento è già ${d.status === 'waived' ? 'stato esonerato' : 'concluso'}: nessuna modifica possibile.`,
      );
    }
    return d;
  }

  const audited = (actor: string, action: string, entityId: string, data: object) => ({
    actor,
    action,
    entity: 'deliverable' as const,
    entityId,
    data: { ...data },
  });

  api.post(
    '/deliverables/:id/submit',
    {
      config: { access: { action: 'deliverable.manage', on: 'deliverable' } },
      schema: { params: Params, body: Submit },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { stage } = request.body;
      const d = await openDeliverable(id);
      if (d.stage !== stage) {
        throw new RequestRejected(
          409,
          'fase_non_corrente',
          `L'adempimento è nella fase «${STAGE_LABEL[d.stage]}», non «${STAGE_LABEL[stage]}».`,
          [{ field: 'stage', message: `fase attuale: ${d.stage}` }],
        );
      }
      const by = actorOf(request);
      await auditedSignal(
        db,
        request.log,
        options.governance,
        audited(by, 'deliverable.submit_requested', id, { stage }),
        (gc) => signalDeliverableWithStart(gc, id, 'submitted', { stage, by }),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  api.post(
    '/deliverables/:id/approve',
    { config: { access: { action: 'deliverable.manage', on: 'deliverable' } }, schema: { params: Params } },
    async (request, reply) => {
      const { id } = request.params;
      const d = await openDeliverable(id);
      if (d.stage !== 'ads_approval') {
        throw new RequestRejected(
          409,
          'fase_non_corrente',
          `L'approvazione spetta all'Assemblea dei Sindaci: l'adempimento è ancora nella fase «${STAGE_LABEL[d.stage]}».`,
        );
      }
      const by = actorOf(request);
      await auditedSignal(
        db,
        request.log,
        options.governance,
        audited(by, 'deliverable.approve_requested', id, {}),
        (gc) => signalDeliverableWithStart(gc, id, 'approved', { by }),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  api.post(
    '/deliverables/:id/extend',
    {
      config: { access: { action: 'deliverable.manage', on: 'deliverable' } },
      schema: { params: Params, body: Extend },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { dueAt, reason } = request.body;
      const d = await openDeliverable(id);
      if (dueAt <= civil(d.dueDate)) {
        throw new RequestRejected(
          400,
          'richiesta_non_valida',
          `La nuova scadenza deve essere successiva a quella attuale (${civil(d.dueDate)}).`,
          [{ field: 'dueAt', message: `deve essere dopo il ${civil(d.dueDate)}` }],
        );
      }
      const by = actorOf(request);
      await auditedSignal(
        db,
        request.log,
        options.governance,
        audited(by, 'deliverable.extension_requested', id, {
          dueAt,
          reason,
          previousDueDate: civil(d.dueDate),
        }),
        // The workflow takes instants: the new deadline is the end of that day in Europe/Rome.
        (gc) => signalDeliverableWithStart(gc, id, 'extended', { dueAt: endOfDay(dueAt), reason, by }),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  api.post(
    '/deliverables/:id/waive',
    {
      config: { access: { action: 'deliverable.manage', on: 'deliverable' } },
      schema: { params: Params, body: Waive },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { reason } = request.body;
      await openDeliverable(id);
      const by = actorOf(request);
      await auditedSignal(
        db,
        request.log,
        options.governance,
        audited(by, 'deliverable.waive_requested', id, { reason }),
        (gc) => signalDeliverableWithStart(gc, id, 'waived', { reason, by }),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );
};
