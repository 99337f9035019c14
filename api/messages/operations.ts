/**
 * Putting a failed e-mail back in the queue once the cause is gone (same Message-ID: nobody gets a second
 * copy), audited. POST /api/v1/messages/:id/retry and the Posta page's "Riprova" both call this.
 */
import type { Database } from '../../prisma/client';
import { requeueFailed } from '../../notifications/outbox/failed';
import { RequestRejected } from '../errors';

export interface RetryContext {
  db: Database;
  pecAvailable: boolean;
  /** Who asked, for the audit (the id) and for the row's note, read by people (the name). */
  actor: string;
  actorName: string;
}

export async function retryMessage(ctx: RetryContext, id: string): Promise<void> {
  const result = await ctx.db.$transaction(async (tx) => {
    const outcome = await requeueFailed(tx, id, {
      pecAvailable: ctx.pecAvailable,
      at: new Date(),
      by: ctx.actorName,
    });
    // Audited by the request that changed the row: a second «Riprova» at the same moment agrees, changes nothing.
    if (outcome.outcome === 'requeued' && outcome.changed)
      await tx.auditEvent.create({
        data: { actor: ctx.actor, action: 'message.requeued', entity: 'message', entityId: id },
      });
    return outcome;
  });
  if (result.outcome === 'unknown')
    throw new RequestRejected(404, 'messaggio_sconosciuto', `Messaggio sconosciuto: ${id}`);
  if (result.outcome === 'refused') throw new RequestRejected(409, 'invio_non_possibile', result.reason);
}
