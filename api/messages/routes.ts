/**
 * /api/v1/messages: what the coordinator must know about e-mails that did not go out. Everything else the
 * outbox retries by itself; these wait for a person (a wrong address, a refusal by the server, a relay down
 * for hours). A message can be put back in the queue once the cause is gone; the outbox pump that every
 * process runs sends it within half a minute, with its original Message-ID, so nobody gets a second copy.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listFailed, requeueFailed } from '../../notifications/outbox/failed';
import { RequestRejected } from '../errors';
import { resolveAmbito } from '../ambiti/resolve';
import { personInAmbito } from '../auth/tenancy';
import { actorOf } from '../temporal';

const Params = z
  .object({ id: z.uuid({ message: "atteso l'identificativo (UUID) di un messaggio" }) })
  .strict();

export const messagesRoutes: FastifyPluginAsync = async (app) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  api.get(
    '/messages/failed',
    { config: { access: { action: 'ambito.manage', on: 'ambito' } } },
    async (request) => {
      const ambito = await resolveAmbito(db, undefined, request.viewer);
      const rows = await listFailed(db, { recipients: personInAmbito(ambito.id) });
      return {
        messages: rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          channel: row.channel,
          recipient: { name: row.recipientName, email: row.recipientEmail, personId: row.personId },
          subject: row.subject,
          reason: row.lastError,
          attempts: row.attempts,
          failedAt: row.updatedAt.toISOString(),
        })),
      };
    },
  );

  api.post(
    '/messages/:id/retry',
    { config: { access: { action: 'ambito.manage', on: 'message' } }, schema: { params: Params } },
    async (request, reply) => {
      const { id } = request.params;
      const by = actorOf(request);
      const result = await db.$transaction(async (tx) => {
        const outcome = await requeueFailed(tx, id, {
          pecAvailable: Boolean(app.config.PEC_SMTP_URL),
          at: new Date(),
          // The row's note is read by people: the name, while the audit keeps the id.
          by: request.viewer!.fullName,
        });
        if (outcome.outcome === 'requeued')
          await tx.auditEvent.create({
            data: { actor: by, action: 'message.requeued', entity: 'message', entityId: id },
          });
        return outcome;
      });
      if (result.outcome === 'unknown')
        throw new RequestRejected(404, 'messaggio_sconosciuto', `Messaggio sconosciuto: ${id}`);
      if (result.outcome === 'refused') throw new RequestRejected(409, 'invio_non_possibile', result.reason);
      return reply.status(202).send({
        accettata: true,
        messaggio: 'Messaggio rimesso in coda: partirà entro un minuto, con lo stesso identificativo.',
      });
    },
  );
};
