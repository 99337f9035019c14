/**
 * The verbale of a meeting: upload (PDF, ODT or DOCX, at most 10 MB, kept in Postgres with its SHA-256),
 * approval, download. The API stores these itself and then tells the workflow, which reads the same state
 * when the reconciler restarts it (api/temporal.ts, kind 1).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { addDays, BodyRules, dateOf, endOfDay, formatInstant } from '../../domain/index';
import { DateTime } from 'luxon';
import { permits } from '../auth/guard';
import { RequestRejected } from '../errors';
import {
  actorOf,
  afterCommit,
  auditedSignal,
  nowOf,
  signalMeetingWithStart,
  type GovernanceOptions,
} from '../temporal';
import { detectMinutesFormat, MIME_TYPE } from './filetype';
import { MeetingParams, MinutesExtension } from './schemas';
import { meetingOr404, requireStatus } from './view';

export const MAX_MINUTES_BYTES = 10 * 1024 * 1024;

const TOO_LARGE = new RequestRejected(
  413,
  'file_troppo_grande',
  'Il file del verbale supera il limite di 10 MB: ridurlo (ad esempio esportando il PDF con compressione) e riprovare.',
  [{ field: 'file', message: 'al massimo 10 MB' }],
);

/** A name safe to store and to put back in a Content-Disposition header. */
function cleanName(raw: string | undefined, extension: string): string {
  const printable = [...basename((raw ?? '').replaceAll('\\', '/'))]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '"')
    .join('')
    .trim();
  return printable.slice(0, 200) || `verbale.${extension}`;
}

export const minutesRoutes: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db = app.db;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/meetings/:id/minutes',
    { config: { access: { action: 'meeting.prepare', on: 'meeting' } }, schema: { params: MeetingParams } },
    async (request, reply) => {
      const { id } = request.params;
      const actor = actorOf(request);
      const meeting = await meetingOr404(db, id);
      requireStatus(meeting, ['convened', 'held'], 'caricare il verbale');
      if (meeting.endsAt.getTime() > (await nowOf(options))) {
        throw new RequestRejected(
          409,
          'seduta_non_conclusa',
          'Il verbale si carica dopo la fine della seduta.',
        );
      }
      if (meeting.verbale?.approvedAt) {
        throw new RequestRejected(
          409,
          'verbale_approvato',
          'Il verbale di questa seduta è già stato approvato.',
        );
      }
      if (!request.isMultipart()) {
        throw new RequestRejected(400, 'richiesta_non_valida', 'Inviare il file come multipart/form-data.', [
          { field: 'file', message: 'file mancante' },
        ]);
      }
      const part = await request.file();
      if (!part) {
        throw new RequestRejected(400, 'richiesta_non_valida', 'Nessun file allegato.', [
          { field: 'file', message: 'file mancante' },
        ]);
      }
      let content: Buffer;
      try {
        content = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw TOO_LARGE;
        throw err;
      }
      if (content.length === 0) {
        throw new RequestRejected(400, 'richiesta_non_valida', 'Il file del verbale è vuoto.', [
          { field: 'file', message: 'file vuoto' },
        ]);
      }
      const format = detectMinutesFormat(content);
      if (!format) {
        throw new RequestRejected(
          415,
          'formato_non_ammesso',
          'Formato del verbale non ammesso: caricare un file PDF, ODT (LibreOffice) o DOCX (Word).',
          [{ field: 'file', message: 'ammessi solo PDF, ODT e DOCX' }],
        );
      }
      const sha256 = createHash('sha256').update(content).digest('hex');
      const name = cleanName(part.filename, format);
      const now = new Date(await nowOf(options));
      const { deadlineDays } = BodyRules.parse(meeting.body.rules).minutes;
      const dueDate = new Date(
        `${addDays(dateOf(formatInstant(DateTime.fromJSDate(meeting.startsAt))), deadlineDays)}T00:00:00Z`,
      );
      const document = await db.$transaction(async (tx) => {
        const doc = await tx.document.create({
          data: {
            name,
            mimeType: MIME_TYPE[format],
            sizeBytes: content.length,
            sha256,
            content: new Uint8Array(content),
            meetingId: id,
            uploadedBy: actor,
          },
          select: { id: true, name: true, mimeType: true, sizeBytes: true, sha256: true },
        });
        // A new upload before approval replaces the previous file; the old one stays attached to the meeting.
        await tx.verbale.upsert({
          where: { meetingId: id },
          create: { meetingId: id, dueDate, documentId: doc.id, submittedAt: now },
          update: { documentId: doc.id, submittedAt: now },
        });
        await tx.auditEvent.create({
          data: {
            actor,
            action: 'meeting.minutes_submitted',
            entity: 'meeting',
            entityId: id,
            data: { documentId: doc.id, name, sha256, sizeBytes: content.length, format },
          },
        });
        return doc;
      });
      const processo = await afterCommit(request.log, options.governance, (gc) =>
        signalMeetingWithStart(gc, id, 'minutesSubmitted'),
      );
      return reply.status(processo.stato === 'notificato' ? 201 : 202).send({ document, processo });
    },
  );

  api.post(
    '/meetings/:id/minutes/approve',
    { config: { access: { action: 'meeting.prepare', on: 'meeting' } }, schema: { params: MeetingParams } },
    async (request, reply) => {
      const { id } = request.params;
      const actor = actorOf(request);
      const meeting = await meetingOr404(db, id);
      requireStatus(meeting, ['convened', 'held'], 'approvare il verbale');
      const verbale = meeting.verbale;
      if (!verbale?.documentId) {
        throw new RequestRejected(409, 'verbale_mancante', 'Il verbale non è ancora stato caricato.');
      }
      if (verbale.approvedAt) {
        throw new RequestRejected(
          409,
          'verbale_approvato',
          'Il verbale di questa seduta è già stato approvato.',
        );
      }
      const now = new Date(await nowOf(options));
      await db.$transaction([
        // Guarded by approvedAt: two approvals at once leave one row change and one audit each, not two approvals.
        db.verbale.update({
          where: { id: verbale.id, approvedAt: null },
          data: { status: 'approved', approvedAt: now },
        }),
        db.auditEvent.create({
          data: {
            actor,
            action: 'meeting.minutes_approved',
            entity: 'meeting',
            entityId: id,
            data: { documentId: verbale.documentId },
          },
        }),
      ]);
      const processo = await afterCommit(request.log, options.governance, (gc) =>
        signalMeetingWithStart(gc, id, 'minutesApproved'),
      );
      return reply.status(processo.stato === 'notificato' ? 200 : 202).send({ approvato: true, processo });
    },
  );

  /** Kind 2 (api/temporal.ts): the meeting workflow stores the new due date and re-plans its ladder. */
  api.post(
    '/meetings/:id/minutes/extend',
    {
      config: { access: { action: 'meeting.prepare', on: 'meeting' } },
      schema: { params: MeetingParams, body: MinutesExtension },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { dueDate, reason } = request.body;
      const meeting = await meetingOr404(db, id);
      requireStatus(meeting, ['held'], 'prorogare la scadenza del verbale');
      const verbale = meeting.verbale;
      if (!verbale) {
        throw new RequestRejected(
          409,
          'verbale_non_richiesto',
          'Il verbale di questa seduta non è ancora stato richiesto: nessuna scadenza da prorogare.',
        );
      }
      if (verbale.submittedAt) {
        throw new RequestRejected(
          409,
          'verbale_caricato',
          'Il verbale è già stato caricato: nessuna scadenza da prorogare.',
        );
      }
      const current = verbale.dueDate.toISOString().slice(0, 10);
      if (dueDate <= current) {
        throw new RequestRejected(
          400,
          'richiesta_non_valida',
          `La nuova scadenza deve essere successiva a quella attuale (${current}).`,
          [{ field: 'dueDate', message: `deve essere dopo il ${current}` }],
        );
      }
      const by = actorOf(request);
      await auditedSignal(
        db,
        request.log,
        options.governance,
        {
          actor: by,
          action: 'meeting.minutes_extension_requested',
          entity: 'meeting',
          entityId: id,
          data: { dueDate, reason, previousDueDate: current },
        },
        (gc) =>
          signalMeetingWithStart(gc, id, 'minutesDeadlineExtended', { dueAt: endOfDay(dueDate), reason, by }),
      );
      return reply.status(202).send({
        accettata: true,
        messaggio: `Proroga accettata: il verbale è atteso entro il ${dueDate}; promemoria e solleciti ripartono da quella data.`,
      });
    },
  );

  api.get(
    '/meetings/:id/minutes/file',
    { config: { access: { action: 'meeting.read', on: 'meeting' } }, schema: { params: MeetingParams } },
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
      const ascii = doc.name.replace(/[^\x20-\x7e]/g, '_');
      return reply
        .header('content-type', doc.mimeType)
        .header('content-length', doc.sizeBytes)
        .header('x-content-sha256', doc.sha256)
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.name)}`,
        )
        .send(Buffer.from(doc.content));
    },
  );
};
