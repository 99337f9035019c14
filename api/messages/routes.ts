/**
 * /api/v1/messages: what the coordinator must know about e-mails that did not go out. Everything else the
 * outbox retries by itself; these wait for a person (a wrong address, a refusal by the server, a relay down
 * for hours). A message can be put back in the queue once the cause is gone; the outbox pump that every
 * process runs sends it within half a minute, with its original Message-ID, so nobody gets a second copy.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listFailed } from '../../notifications/outbox/failed';
import { resolveAmbito } from '../ambiti/resolve';
import { personInAmbito } from '../auth/tenancy';
import { actorOf } from '../temporal';
import { retryMessage } from './operations';

const Params = z
  .object({ id: z.uuid({ message: "atteso l'identificativo (UUID) di un messaggio" }) })
  .strict();

/** The retry's context from a request (the route requires a signed-in person). */
export function retryContext(app: FastifyInstance, request: FastifyRequest) {
  return {
    db: app.db,
    pecAvailable: Boolean(app.config.PEC_SMTP_URL),
    actor: actorOf(request),
    actorName: request.viewer!.fullName,
  };
}

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
      await retryMessage(retryContext(app, request), request.params.id);
      return reply.status(202).send({
        accettata: true,
        messaggio: 'Messaggio rimesso in coda: partirà entro un minuto, con lo stesso identificativo.',
      });
    },
  );
};
