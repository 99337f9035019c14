/**
 * The verbale's operations, shared by the JSON routes (minutes.ts) and the Seduta page: upload (PDF, ODT or
 * DOCX, kept in Postgres with its SHA-256), approval, extension of its deadline. Upload and approval are
 * stored here and then told to the workflow; the extension is the workflow's to store (api/temporal.ts).
 */
import type { z } from 'zod';
import { addDays, BodyRules, dayInRome, endOfDay } from '../../domain/index';
import { civilOfColumn, dateColumn } from '../../prisma/date-columns';
import { RequestRejected } from '../errors';
import { afterCommit, auditedSignal, signalMeetingWithStart } from '../temporal';
import type { OperationContext } from './operations';
import type { MinutesExtension } from './schemas';
import type { UploadedDocument } from './upload';
import { meetingOr404, requireStatus } from './view';

type Tx = Parameters<Parameters<OperationContext['db']['$transaction']>[0]>[0];

const alreadyApproved = () =>
  new RequestRejected(409, 'verbale_approvato', 'Il verbale di questa seduta è già stato approvato.');

/**
 * The verbale as it stands, with the meeting's row held for the rest of the transaction: an upload and an
 * approval (or two approvals) at the same moment then happen one after the other, and the second sees the
 * first. Without it a file uploaded during an approval replaced the file just approved.
 */
async function verbaleForUpdate(tx: Tx, meetingId: string) {
  await tx.$queryRaw`SELECT 1 AS locked FROM "Meeting" WHERE "id" = ${meetingId}::uuid FOR UPDATE`;
  const verbale = await tx.verbale.findUnique({ where: { meetingId } });
  if (verbale?.approvedAt) throw alreadyApproved();
  return verbale;
}

export async function submitMinutes(
  ctx: OperationContext,
  id: string,
  readFile: () => Promise<UploadedDocument>,
) {
  const { db, actor } = ctx;
  const meeting = await meetingOr404(db, id);
  requireStatus(meeting, ['convened', 'held'], 'caricare il verbale');
  if (meeting.endsAt.getTime() > ctx.now) {
    throw new RequestRejected(409, 'seduta_non_conclusa', 'Il verbale si carica dopo la fine della seduta.');
  }
  if (meeting.verbale?.approvedAt) throw alreadyApproved();
  const { name, format, mimeType, content, sha256 } = await readFile();
  const now = new Date(ctx.now);
  const { deadlineDays } = BodyRules.parse(meeting.body.rules).minutes;
  const dueDate = dateColumn(addDays(dayInRome(meeting.startsAt), deadlineDays));
  const document = await db.$transaction(async (tx) => {
    await verbaleForUpdate(tx, id);
    const doc = await tx.document.create({
      data: {
        name,
        mimeType,
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

  const processo = await afterCommit(ctx.log, ctx.governance, (gc) =>
    signalMeetingWithStart(gc, id, 'minutesSubmitted'),
  );
  return { document, processo };
}

export async function approveMinutes(ctx: OperationContext, id: string) {
  const { db, actor } = ctx;
  const meeting = await meetingOr404(db, id);
  requireStatus(meeting, ['convened', 'held'], 'approvare il verbale');
  const verbale = meeting.verbale;
  if (!verbale?.documentId) {
    throw new RequestRejected(409, 'verbale_mancante', 'Il verbale non è ancora stato caricato.');
  }
  if (verbale.approvedAt) throw alreadyApproved();
  const now = new Date(ctx.now);
  await db.$transaction(async (tx) => {
    // Read again under the lock: the file approved is the one stored now, and a second approval gets 409.
    const current = (await verbaleForUpdate(tx, id))!;
    await tx.verbale.update({
      where: { id: current.id },
      data: { status: 'approved', approvedAt: now },
    });
    await tx.auditEvent.create({
      data: {
        actor,
        action: 'meeting.minutes_approved',
        entity: 'meeting',
        entityId: id,
        data: { documentId: current.documentId },
      },
    });
  });
  const processo = await afterCommit(ctx.log, ctx.governance, (gc) =>
    signalMeetingWithStart(gc, id, 'minutesApproved'),
  );
  return processo;
}

export async function extendMinutes(
  ctx: OperationContext,
  id: string,
  input: z.output<typeof MinutesExtension>,
) {
  const { db } = ctx;
  const { dueDate, reason } = input;
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
  const current = civilOfColumn(verbale.dueDate);
  if (dueDate <= current) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      `La nuova scadenza deve essere successiva a quella attuale (${current}).`,
      [{ field: 'dueDate', message: `deve essere dopo il ${current}` }],
    );
  }
  const by = ctx.actor;
  await auditedSignal(
    db,
    ctx.log,
    ctx.governance,
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
  return { dueDate };
}
