/**
 * The convocation before it leaves: the exact message (rendered by the code the workflow enqueues with)
 * and "Invia ora la convocazione", which releases it before the legal deadline.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { convocationRequest, meetingForMessages } from '../../activities/meetings';
import { seatRecipients } from '../../activities/people';
import { renderMessage } from '../../notifications/templates/render';
import type { Database } from '../../prisma/client';
import type { GovernanceOptions } from '../temporal';
import { may } from './access';
import { operationContext, releaseConvocation } from './operations';
import { MeetingParams } from './schemas';
import { meetingOr404 } from './view';

export interface ConvocationPreview {
  /** Whose copy is shown; the others differ only in the name and their personal answer links. */
  recipient: { name: string; email: string } | null;
  recipients: number;
  subject: string;
  text: string;
  html: string;
}

/** The convocation as its first recipient will read it; answer links are examples, not real tokens. */
export async function previewConvocation(
  db: Database,
  publicBaseUrl: string,
  meetingId: string,
): Promise<ConvocationPreview> {
  const loaded = await meetingForMessages(db, publicBaseUrl, meetingId);
  const recipients = await seatRecipients(db, loaded.m.bodyId, loaded.m.startsAt);
  const first = recipients[0] ?? null;
  const example = (answer: string) =>
    `${publicBaseUrl.replace(/\/$/, '')}/risposta/esempio-link-personale?risposta=${answer}`;
  const request = convocationRequest(
    loaded,
    first ?? { personId: 'anteprima', name: 'Componente dell’organo', email: 'anteprima@example.org' },
    { present: example('presente'), absent: example('assente'), delegate: example('delegato') },
    loaded.m.revision,
  );
  const rendered = renderMessage(request.kind, request.data);
  return {
    recipient: first && { name: first.name, email: first.email },
    recipients: recipients.length,
    ...rendered,
  };
}

export const convocationRoutes: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/meetings/:id/convocation/preview',
    { schema: { params: MeetingParams }, config: may('meeting.prepare') },
    async (request) => {
      await meetingOr404(db, request.params.id);
      return previewConvocation(db, app.config.PUBLIC_BASE_URL, request.params.id);
    },
  );

  api.post(
    '/meetings/:id/convocation/release',
    { schema: { params: MeetingParams }, config: may('meeting.prepare') },
    async (request, reply) => {
      await releaseConvocation(await operationContext(request, db, options), request.params.id);
      return reply.status(202).send({
        accettata: true,
        messaggio: 'La convocazione parte ora: il processo della riunione la invia a ogni componente.',
      });
    },
  );
};
