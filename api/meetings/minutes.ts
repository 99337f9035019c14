/**
 * The verbale of a meeting: upload (PDF, ODT or DOCX, at most 10 MB, kept in Postgres with its SHA-256),
 * approval, download. The API stores these itself and then tells the workflow, which reads the same state
 * when the reconciler restarts it (api/temporal.ts, kind 1).
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { permits } from '../auth/guard';
import { RequestRejected } from '../errors';
import type { GovernanceOptions } from '../temporal';
import { may } from './access';
import { approveMinutes, extendMinutes, submitMinutes } from './minutes-operations';
import { operationContext } from './operations';
import { MIME_TYPE } from './filetype';
import { draftMinutes } from './verbale/draft';
import { MeetingParams, MinutesExtension } from './schemas';
import { documentHeaders, readUploadedDocument } from './upload';
import { meetingOr404 } from './view';

export const minutesRoutes: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/meetings/:id/minutes',
    { schema: { params: MeetingParams }, config: may('meeting.prepare') },
    async (request, reply) => {
      const { document, processo } = await submitMinutes(
        await operationContext(request, db, options),
        request.params.id,
        () => readUploadedDocument(request, 'il file del verbale', 'verbale'),
      );
      return reply.status(processo.stato === 'notificato' ? 201 : 202).send({ document, processo });
    },
  );

  api.post(
    '/meetings/:id/minutes/approve',
    { schema: { params: MeetingParams }, config: may('meeting.prepare') },
    async (request, reply) => {
      const processo = await approveMinutes(await operationContext(request, db, options), request.params.id);
      return reply.status(processo.stato === 'notificato' ? 200 : 202).send({ approvato: true, processo });
    },
  );

  /** Kind 2 (api/temporal.ts): the meeting workflow stores the new due date and re-plans its ladder. */
  api.post(
    '/meetings/:id/minutes/extend',
    { schema: { params: MeetingParams, body: MinutesExtension }, config: may('meeting.prepare') },
    async (request, reply) => {
      const { dueDate } = await extendMinutes(
        await operationContext(request, db, options),
        request.params.id,
        request.body,
      );
      return reply.status(202).send({
        accettata: true,
        messaggio: `Proroga accettata: il verbale è atteso entro il ${dueDate}; promemoria e solleciti ripartono da quella data.`,
      });
    },
  );

  api.get(
    '/meetings/:id/minutes/file',
    { schema: { params: MeetingParams }, config: may('meeting.read') },
    async (request, reply) => {
      const { id } = request.params;
      await meetingOr404(db, id);
      const verbale = await db.verbale.findUnique({ where: { meetingId: id }, include: { document: true } });
      const doc = verbale?.document;
      if (!doc) {
        throw new RequestRejected(
          404,
          'verbale_mancante',
          'Il verbale di questa seduta non è ancora stato caricato.',
        );
      }
      // Until approved, a verbale is a draft: for those who prepare it and for oversight, not every member.
      const approved = verbale.status === 'approved' || verbale.status === 'published';
      if (!approved && !(await permits(db, request, 'minutes.read.draft', 'meeting'))) {
        throw new RequestRejected(
          403,
          'non_consentito',
          'Il verbale non è ancora approvato: non è consultabile dai componenti.',
        );
      }
      return reply.headers(documentHeaders(doc)).send(Buffer.from(doc.content));
    },
  );

  api.get(
    '/meetings/:id/minutes/draft',
    { schema: { params: MeetingParams }, config: may('meeting.prepare') },
    async (request, reply) => {
      const { id } = request.params;
      const meeting = await meetingOr404(db, id);
      const content = await draftMinutes(db, id, app.config.DATA_DIR);
      return reply
        .headers(
          documentHeaders({
            name: `Bozza verbale ${meeting.body.name} ${meeting.plannedDateKey}.docx`,
            mimeType: MIME_TYPE.docx,
            sizeBytes: content.length,
            sha256: createHash('sha256').update(content).digest('hex'),
          }),
        )
        .send(content);
    },
  );
};
