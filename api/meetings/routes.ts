/**
 * /api/v1/meetings: create an extra meeting, read one, and change it (reschedule, cancel, agenda addendum,
 * attendance). Creation is stored here; the changes are applied by the meeting workflow (see api/temporal.ts
 * for the order of effects and why).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { queryMeeting } from '../../workflows/client';
import type { MeetingState } from '../../workflows/meeting';
import { permits } from '../auth/guard';
import { RequestRejected } from '../errors';
import type { GovernanceOptions } from '../temporal';
import { may } from './access';
import { convocationRoutes } from './convocation';
import { minutesRoutes } from './minutes';
import * as op from './operations';
import {
  Addendum,
  AgendaItemInput,
  AgendaOrder,
  Attendance,
  Cancel,
  CreateMeeting,
  DocumentParams,
  ItemParams,
  MeetingParams,
  Reschedule,
} from './schemas';
import { documentHeaders, MAX_DOCUMENT_BYTES, readUploadedDocument } from './upload';
import { meetingOr404, meetingView } from './view';

/** A query waits for a worker; the page must not hang on it. */
const QUERY_TIMEOUT_MS = 3_000;

const ACCEPTED =
  'Richiesta accettata: il processo della riunione la applica e invia le comunicazioni previste.';

export const meetingsRoutes: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const { governance } = options;
  const db = app.db;
  await app.register(multipart, {
    limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 5, parts: 6 },
  });
  const api = app.withTypeProvider<ZodTypeProvider>();
  const ctxOf = (request: FastifyRequest) => op.operationContext(request, db, options);

  api.post(
    '/meetings',
    { schema: { body: CreateMeeting }, config: { access: { action: 'body.meeting.create', on: 'body' } } },
    async (request, reply) => {
      const { meetingId, processo } = await op.createMeeting(await ctxOf(request), request.body);
      return reply
        .status(processo.stato === 'notificato' ? 201 : 202)
        .send({ meeting: await meetingView(db, meetingId), processo });
    },
  );

  api.get(
    '/meetings/:id',
    { schema: { params: MeetingParams }, config: may('meeting.read') },
    async (request) => {
      const { id } = request.params;
      await meetingOr404(db, id);
      return { meeting: await meetingView(db, id), processo: await workflowState(id) };
    },
  );

  const accepted = { accettata: true, messaggio: ACCEPTED };

  api.post(
    '/meetings/:id/reschedule',
    { schema: { params: MeetingParams, body: Reschedule }, config: may('meeting.reschedule') },
    async (request, reply) => {
      await op.reschedule(await ctxOf(request), request.params.id, request.body);
      return reply.status(202).send(accepted);
    },
  );

  api.post(
    '/meetings/:id/cancel',
    { schema: { params: MeetingParams, body: Cancel }, config: may('meeting.cancel') },
    async (request, reply) => {
      await op.cancel(await ctxOf(request), request.params.id, request.body);
      return reply.status(202).send(accepted);
    },
  );

  api.post(
    '/meetings/:id/agenda',
    { schema: { params: MeetingParams, body: Addendum }, config: may('meeting.prepare') },
    async (request, reply) => {
      await op.addAgendaItems(await ctxOf(request), request.params.id, request.body);
      return reply.status(202).send(accepted);
    },
  );

  api.put(
    '/meetings/:id/agenda/order',
    { schema: { params: MeetingParams, body: AgendaOrder }, config: may('meeting.prepare') },
    async (request) => {
      await op.reorderAgenda(await ctxOf(request), request.params.id, request.body);
      return { meeting: await meetingView(db, request.params.id) };
    },
  );

  api.put(
    '/meetings/:id/agenda/:itemId',
    { schema: { params: ItemParams, body: AgendaItemInput }, config: may('meeting.prepare') },
    async (request) => {
      const { id, itemId } = request.params;
      await op.editAgendaItem(await ctxOf(request), id, itemId, request.body);
      return { meeting: await meetingView(db, id) };
    },
  );

  api.delete(
    '/meetings/:id/agenda/:itemId',
    { schema: { params: ItemParams }, config: may('meeting.prepare') },
    async (request) => {
      const { id, itemId } = request.params;
      await op.removeAgendaItem(await ctxOf(request), id, itemId);
      return { meeting: await meetingView(db, id) };
    },
  );

  api.post(
    '/meetings/:id/agenda/:itemId/documents',
    { schema: { params: ItemParams }, config: may('meeting.prepare') },
    async (request, reply) => {
      const { id, itemId } = request.params;
      await meetingOr404(db, id);
      const file = await readUploadedDocument(request, 'il documento', 'documento');
      const document = await op.attachDocument(await ctxOf(request), id, itemId, file);
      return reply.status(201).send({ document });
    },
  );

  api.get(
    '/meetings/:id/documents/:documentId',
    { schema: { params: DocumentParams }, config: may('meeting.read') },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const doc = await op.documentOr404(db, id, documentId);
      // A file outside the agenda is a verbale (the current one or one it replaced): its own route keeps a
      // draft to those who may read drafts, and so does this one; to others it does not exist here.
      if (!doc.agendaItemId && !(await permits(db, request, 'minutes.read.draft', 'meeting'))) {
        throw new RequestRejected(404, 'documento_sconosciuto', 'Documento non trovato.', [
          { field: 'documentId', message: 'nessun documento con questo identificativo in questa riunione' },
        ]);
      }
      return reply.headers(documentHeaders(doc)).send(Buffer.from(doc.content));
    },
  );

  api.delete(
    '/meetings/:id/documents/:documentId',
    { schema: { params: DocumentParams }, config: may('meeting.prepare') },
    async (request) => {
      const { id, documentId } = request.params;
      await op.removeDocument(await ctxOf(request), id, documentId);
      return { meeting: await meetingView(db, id) };
    },
  );

  api.post(
    '/meetings/:id/attendance',
    { schema: { params: MeetingParams, body: Attendance }, config: may('meeting.prepare') },
    async (request, reply) => {
      await op.recordAttendance(await ctxOf(request), request.params.id, request.body);
      return reply.status(202).send(accepted);
    },
  );

  await app.register(convocationRoutes, { governance, now: options.now });
  // Only our own options: passing Fastify's (with the prefix) again would prefix the routes twice.
  await app.register(minutesRoutes, { governance, now: options.now });

  /** The workflow's own view, when Temporal and a worker answer in time; null otherwise. */
  async function workflowState(meetingId: string): Promise<MeetingState | null> {
    if (!governance) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>(
      (resolve) => (timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS)),
    );
    try {
      return await Promise.race([queryMeeting(governance, meetingId).catch(() => null), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
};
