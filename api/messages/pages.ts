/**
 * Posta: the e-mails that will not go out unless someone acts, with the reason, and "Riprova" (the same
 * operation as POST /api/v1/messages/:id/retry). A refused retry shows its reason on the page.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listFailed } from '../../notifications/outbox/failed';
import { personInAmbito } from '../auth/tenancy';
import { pageAmbito } from '../layout/ambito';
import { submitForm, type FormOutcome } from '../layout/forms';
import { retryMessage } from './operations';
import { retryContext } from './routes';

const Id = z.object({ id: z.uuid() });

export const messagePages: FastifyPluginAsync = async (app) => {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    refused?: { id: string; outcome: Extract<FormOutcome, { ok: false }> },
  ) {
    const ambito = await pageAmbito(app.db, request);
    const rows = await listFailed(app.db, { recipients: personInAmbito(ambito.id) });
    if (refused) reply.status(refused.outcome.status);
    const query = request.query as { esito?: string };
    return reply.page('api/messages/views/posta.hbs', {
      title: 'Posta non consegnata',
      done: query.esito === 'in-coda',
      messages: rows.map((row) => ({
        ...row,
        refusal: refused?.id === row.id ? refused.outcome.message : null,
      })),
    });
  }

  app.get('/posta', { config: { access: { action: 'ambito.manage', on: 'ambito' } } }, (request, reply) =>
    show(request, reply),
  );

  app.post<{ Params: { id: string } }>(
    '/posta/:id/riprova',
    { config: { access: { action: 'ambito.manage', on: 'message' } } },
    async (request, reply) => {
      if (!Id.safeParse(request.params).success)
        return reply.errorPage(404, 'Messaggio non trovato', 'Il messaggio non esiste.');
      const outcome = await submitForm(request.body, z.object({}).strict(), () =>
        retryMessage(retryContext(app, request), request.params.id),
      );
      if (outcome.ok) return reply.redirect('/posta?esito=in-coda', 303);
      return show(request, reply, { id: request.params.id, outcome });
    },
  );
};
