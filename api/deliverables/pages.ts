/**
 * Scadenze: the year's deliverables (Piano Operativo, Report annuale, semestral update) by stage, and one
 * deliverable's page with its history and the forms that move it on. The forms call the same operations
 * as the JSON routes (./operations.ts), then redirect (Post/Redirect/Get); a refused form is shown again
 * with the message next to the field and what was typed.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { romeNow } from '../../domain/index';
import { pageAmbito } from '../layout/ambito';
import { submitForm, type FormOutcome } from '../layout/forms';
import { DELIVERABLE_EVENT, DELIVERABLE_KIND, DELIVERABLE_STATUS, STAGE } from '../layout/labels';
import { notFound } from '../pages/routes';
import { actorOf, type GovernanceOptions } from '../temporal';
import {
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
import { dateColumnsOfYear } from '../../prisma/date-columns';

const VIEWS = 'api/deliverables/views';
const Year = z.coerce.number().int().min(2000).max(2100);
const STAGES = ['udp_draft', 'cr_review', 'ads_approval', 'completed'] as const;

/** The confirmation each form's redirect carries (?esito=...). */
const DONE: Record<string, string> = {
  presentato: "Presentazione registrata: il processo dell'adempimento passa alla fase successiva.",
  approvato: 'Approvazione registrata.',
  prorogato: 'Proroga registrata: promemoria e solleciti ripartono dalla nuova scadenza.',
  esonerato: "Esonero registrato: l'adempimento non è più dovuto.",
};

type FormName = 'presenta' | 'approva' | 'proroga' | 'esonera';

export const deliverablePages: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;
  const read = { access: { action: 'ambito.read', on: 'ambito' } } as const;

  app.get<{ Querystring: { anno?: string } }>('/scadenze', { config: read }, async (request, reply) => {
    const ambito = await pageAmbito(db, request);
    const parsedYear = Year.safeParse(request.query.anno);
    const year = parsedYear.success ? parsedYear.data : (await romeNow(options.now)).year;
    const rows = await db.deliverable.findMany({
      where: {
        ambitoId: ambito.id,
        dueDate: dateColumnsOfYear(year),
      },
      orderBy: [{ dueDate: 'asc' }, { kind: 'asc' }],
    });
    const stages = STAGES.map((stage) => ({
      label: STAGE[stage],
      deliverables: rows
        .filter((d) => d.stage === stage)
        .map((d) => ({
          ...d,
          name: `${DELIVERABLE_KIND[d.kind]} ${d.referencePeriod}`,
          status: DELIVERABLE_STATUS[d.status],
        })),
    }));
    return reply.page(`${VIEWS}/elenco.hbs`, {
      title: `Scadenze ${year}`,
      year,
      previous: year - 1,
      next: year + 1,
      stages,
      empty: rows.length === 0,
    });
  });

  async function showDeliverable(
    request: FastifyRequest<{ Params: { id: string }; Querystring: { esito?: string } }>,
    reply: FastifyReply,
    failed?: { form: FormName; outcome: Extract<FormOutcome, { ok: false }> },
  ) {
    const parsed = DeliverableParams.safeParse(request.params);
    const d = parsed.success
      ? await db.deliverable.findUnique({
          where: { id: parsed.data.id },
          include: { events: { orderBy: { at: 'asc' } } },
        })
      : null;
    if (!d) return notFound(reply, 'Scadenza non trovata');
    const open = d.status !== 'approved' && d.status !== 'waived' && d.stage !== 'completed';
    if (failed) reply.status(failed.outcome.status);
    return reply.page(`${VIEWS}/scadenza.hbs`, {
      title: `${DELIVERABLE_KIND[d.kind]} ${d.referencePeriod}`,
      deliverable: d,
      stage: STAGE[d.stage],
      status: DELIVERABLE_STATUS[d.status],
      events: d.events.map((e) => ({ ...e, label: DELIVERABLE_EVENT[e.kind] })),
      open,
      canApprove: open && d.stage === 'ads_approval',
      done: DONE[request.query.esito ?? ''] ?? null,
      // Each form shows only its own problems and keeps only its own values.
      forms: failed ? { [failed.form]: failed.outcome } : {},
    });
  }

  app.get<{ Params: { id: string }; Querystring: { esito?: string } }>(
    '/scadenze/:id',
    { config: { access: { action: 'ambito.read', on: 'deliverable' } } },
    (request, reply) => showDeliverable(request, reply),
  );

  const manage = { access: { action: 'deliverable.manage', on: 'deliverable' } } as const;
  const ctx = (request: FastifyRequest): DeliverableContext => ({
    db,
    log: request.log,
    governance: options.governance,
    actor: actorOf(request),
  });

  /** One POST route per form: run it, then redirect to the page (done) or show the page again (refused). */
  function form(
    name: FormName,
    done: keyof typeof DONE,
    run: (request: FastifyRequest<{ Params: { id: string } }>) => Promise<FormOutcome>,
  ) {
    app.post<{ Params: { id: string }; Querystring: { esito?: string } }>(
      `/scadenze/:id/${name}`,
      { config: manage },
      async (request, reply) => {
        if (!DeliverableParams.safeParse(request.params).success)
          return notFound(reply, 'Scadenza non trovata');
        const outcome = await run(request);
        if (outcome.ok) return reply.redirect(`/scadenze/${request.params.id}?esito=${done}`, 303);
        return showDeliverable(request, reply, { form: name, outcome });
      },
    );
  }

  form('presenta', 'presentato', (request) =>
    submitForm(request.body, Submit, (input) => submitDeliverable(ctx(request), request.params.id, input)),
  );
  form('approva', 'approvato', (request) =>
    submitForm(request.body, z.object({}).strict(), () =>
      approveDeliverable(ctx(request), request.params.id),
    ),
  );
  form('proroga', 'prorogato', (request) =>
    submitForm(request.body, Extend, (input) => extendDeliverable(ctx(request), request.params.id, input)),
  );
  form('esonera', 'esonerato', (request) =>
    submitForm(request.body, Waive, (input) => waiveDeliverable(ctx(request), request.params.id, input)),
  );
};
