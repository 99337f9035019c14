/**
 * What people do to one deliverable (submit a stage, approve, extend the deadline, waive), validated against
 * the stored state, audited and handed to its workflow (api/temporal.ts, kind 2). The JSON routes and the
 * Scadenze page's forms both call these: one implementation, two doors.
 */
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { CivilDate, endOfDay } from '../../domain/index';
import type { Database } from '../../prisma/client';
import type { GovernanceClient } from '../../workflows/client';
import { RequestRejected } from '../errors';
import { STAGE } from '../layout/labels';
import { auditedSignal, signalDeliverableWithStart } from '../temporal';
import { civilOfColumn } from '../../prisma/date-columns';

export const DeliverableParams = z
  .object({ id: z.uuid({ message: "atteso l'identificativo (UUID) di un adempimento" }) })
  .strict();

const OPEN_STAGES = ['udp_draft', 'cr_review', 'ads_approval'] as const;
const Reason = z.string().trim().min(3, 'indicare il motivo (almeno 3 caratteri)').max(1000);

export const Submit = z
  .object({ stage: z.enum(OPEN_STAGES, { message: 'atteso udp_draft, cr_review o ads_approval' }) })
  .strict();
export const Extend = z.object({ dueAt: CivilDate, reason: Reason }).strict();
export const Waive = z.object({ reason: Reason }).strict();

export const ACCEPTED =
  "Richiesta accettata: il processo dell'adempimento la applica e aggiorna le scadenze.";

/** Who acts, and where the change goes. */
export interface DeliverableContext {
  db: Database;
  log: FastifyBaseLogger;
  governance: GovernanceClient | null;
  actor: string;
}

/** The deliverable, still open (not approved, not waived). */
async function openDeliverable(db: Database, id: string) {
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

function signal(
  ctx: DeliverableContext,
  id: string,
  action: string,
  data: object,
  deliver: (gc: GovernanceClient) => Promise<unknown>,
) {
  return auditedSignal(
    ctx.db,
    ctx.log,
    ctx.governance,
    { actor: ctx.actor, action, entity: 'deliverable', entityId: id, data: { ...data } },
    deliver,
  );
}

export async function submitDeliverable(
  ctx: DeliverableContext,
  id: string,
  { stage }: z.infer<typeof Submit>,
) {
  const d = await openDeliverable(ctx.db, id);
  if (d.stage !== stage) {
    throw new RequestRejected(
      409,
      'fase_non_corrente',
      `L'adempimento è nella fase «${STAGE[d.stage]}», non «${STAGE[stage]}».`,
      [{ field: 'stage', message: `fase attuale: ${d.stage}` }],
    );
  }
  await signal(ctx, id, 'deliverable.submit_requested', { stage }, (gc) =>
    signalDeliverableWithStart(gc, id, 'submitted', { stage, by: ctx.actor }),
  );
}

export async function approveDeliverable(ctx: DeliverableContext, id: string) {
  const d = await openDeliverable(ctx.db, id);
  if (d.stage !== 'ads_approval') {
    throw new RequestRejected(
      409,
      'fase_non_corrente',
      `L'approvazione spetta all'Assemblea dei Sindaci: l'adempimento è ancora nella fase «${STAGE[d.stage]}».`,
    );
  }
  await signal(ctx, id, 'deliverable.approve_requested', {}, (gc) =>
    signalDeliverableWithStart(gc, id, 'approved', { by: ctx.actor }),
  );
}

export async function extendDeliverable(
  ctx: DeliverableContext,
  id: string,
  { dueAt, reason }: z.infer<typeof Extend>,
) {
  const d = await openDeliverable(ctx.db, id);
  if (dueAt <= civilOfColumn(d.dueDate)) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      `La nuova scadenza deve essere successiva a quella attuale (${civilOfColumn(d.dueDate)}).`,
      [{ field: 'dueAt', message: `deve essere dopo il ${civilOfColumn(d.dueDate)}` }],
    );
  }
  await signal(
    ctx,
    id,
    'deliverable.extension_requested',
    { dueAt, reason, previousDueDate: civilOfColumn(d.dueDate) },
    // The workflow takes instants: the new deadline is the end of that day in Europe/Rome.
    (gc) => signalDeliverableWithStart(gc, id, 'extended', { dueAt: endOfDay(dueAt), reason, by: ctx.actor }),
  );
}

export async function waiveDeliverable(
  ctx: DeliverableContext,
  id: string,
  { reason }: z.infer<typeof Waive>,
) {
  await openDeliverable(ctx.db, id);
  await signal(ctx, id, 'deliverable.waive_requested', { reason }, (gc) =>
    signalDeliverableWithStart(gc, id, 'waived', { reason, by: ctx.actor }),
  );
}
