/**
 * What people do to a meeting, once: each operation validates against the stored state, audits who did it
 * and either stores the change (agenda before the convocation, documents) or hands it to the workflow
 * (release, reschedule, cancel, addendum, roll call; api/temporal.ts says why). The JSON routes and the
 * forms of the meeting page call these same functions: one implementation, two doors.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { RELEASE_REQUESTED } from '../../activities/meetings';
import type { z } from 'zod';
import type { Database, MeetingStatus } from '../../prisma/client';
import { heldOn } from '../../prisma/membership-days';
import type { GovernanceClient } from '../../workflows/client';
import { RequestRejected } from '../errors';
import { dateOf, dayInRome, endOfDay, readClock } from '../../domain/index';
import { formatTime } from '../../notifications/format';
import { startMeetingWorkflow, type MeetingSignals } from '../../workflows/client';
import {
  actorOf,
  afterCommit,
  auditedSignal,
  signalMeetingWithStart,
  type GovernanceOptions,
} from '../temporal';
import type {
  Addendum,
  AgendaItemInput,
  AgendaOrder,
  Attendance,
  Cancel,
  CreateMeeting,
  Reschedule,
} from './schemas';
import type { UploadedDocument } from './upload';
import { meetingOr404, requireStatus } from './view';

/** The 24-hour rule of the agreement: an addendum must reach members a day before the session. */
const ADDENDUM_NOTICE_MS = 24 * 3600_000;

/**
 * How far ahead a session may be fixed. Further is a typo, not a plan; and a day in Rome past year 9999 was
 * stored as the date key "+010000-01-01", which the calendar, Oggi and the Calendario could not read (500).
 */
const MAX_YEARS_AHEAD = 10;

function refuseFarFuture(startsAt: string, now: number): void {
  if (Date.parse(startsAt) > now + MAX_YEARS_AHEAD * 366 * 86_400_000) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      `La riunione si può fissare al massimo ${MAX_YEARS_AHEAD} anni avanti: controllare l'anno.`,
      [{ field: 'startsAt', message: `al massimo ${MAX_YEARS_AHEAD} anni da oggi` }],
    );
  }
}

export interface OperationContext {
  db: Database;
  governance: GovernanceClient | null;
  log: FastifyBaseLogger;
  /** Who acts, for the audit. */
  actor: string;
  /** The current instant in ms (the time-skipping clock in tests). */
  now: number;
}

export async function operationContext(
  request: FastifyRequest,
  db: Database,
  options: GovernanceOptions,
): Promise<OperationContext> {
  return {
    db,
    governance: options.governance,
    log: request.log,
    actor: actorOf(request),
    now: await readClock(options.now),
  };
}

const auditOf = (actor: string, action: string, entityId: string, data: object) => ({
  actor,
  action,
  entity: 'meeting' as const,
  entityId,
  data: { ...data },
});

/** Audits the request and hands it to the workflow, which owns the change (api/temporal.ts, kind 2). */
function toWorkflow<K extends 'reschedule' | 'cancel' | 'agendaAddendum' | 'attendance'>(
  ctx: OperationContext,
  meetingId: string,
  action: string,
  signal: K,
  payload: MeetingSignals[K][0],
) {
  return auditedSignal(
    ctx.db,
    ctx.log,
    ctx.governance,
    auditOf(ctx.actor, action, meetingId, payload),
    (gc) => signalMeetingWithStart(gc, meetingId, signal, ...([payload] as MeetingSignals[K])),
  );
}

/** An extra or urgent session with its agenda; its workflow starts after the commit. */
export async function createMeeting(ctx: OperationContext, input: z.output<typeof CreateMeeting>) {
  const { db, actor } = ctx;
  const body = await db.body.findUnique({ where: { id: input.bodyId } });
  if (!body?.active) {
    throw new RequestRejected(404, 'organo_sconosciuto', `Organo sconosciuto: ${input.bodyId}`, [
      { field: 'bodyId', message: 'nessun organo attivo con questo identificativo' },
    ]);
  }
  if (Date.parse(input.startsAt) <= ctx.now) {
    throw new RequestRejected(400, 'richiesta_non_valida', 'La riunione deve iniziare nel futuro.', [
      { field: 'startsAt', message: 'deve essere nel futuro' },
    ]);
  }
  refuseFarFuture(input.startsAt, ctx.now);
  const plannedDateKey = dateOf(input.startsAt);
  const duplicate = () =>
    new RequestRejected(
      409,
      'riunione_esistente',
      `Esiste già una riunione di ${body.name} il ${plannedDateKey}: modificarla invece di crearne un'altra.`,
      [{ field: 'startsAt', message: 'giorno già occupato per questo organo' }],
    );
  const existing = await db.meeting.findUnique({
    where: { bodyId_plannedDateKey: { bodyId: body.id, plannedDateKey } },
    select: { status: true },
  });
  // A cancelled session cannot be changed, so "modify it instead" would send the person nowhere. Its row
  // still holds the day (it is also what tells the series planner that occurrence was cancelled): say so.
  if (existing?.status === 'cancelled') {
    throw new RequestRejected(
      409,
      'riunione_esistente',
      `La riunione di ${body.name} del ${plannedDateKey} è stata annullata e il giorno resta registrato con quella seduta: una nuova seduta dello stesso organo va fissata in un altro giorno.`,
      [{ field: 'startsAt', message: 'giorno di una seduta annullata di questo organo' }],
    );
  }
  if (existing) throw duplicate();
  let meetingId: string;
  try {
    meetingId = await db.$transaction(async (tx) => {
      const meeting = await tx.meeting.create({
        data: {
          bodyId: body.id,
          plannedDateKey,
          startsAt: new Date(input.startsAt),
          endsAt: new Date(input.endsAt),
          place: input.place ?? null,
          onlineUrl: input.onlineUrl ?? null,
          urgent: input.urgent,
          agendaItems: {
            create: input.agenda.map((item, i) => ({
              position: i + 1,
              title: item.title,
              description: item.description ?? null,
            })),
          },
        },
      });
      await tx.auditEvent.create({
        data: { actor, action: 'meeting.created', entity: 'meeting', entityId: meeting.id, data: input },
      });
      return meeting.id;
    });
  } catch (err) {
    // Two requests for the same day at once: the unique key decides, the loser gets the same 409.
    if ((err as { code?: string }).code === 'P2002') throw duplicate();
    throw err;
  }
  const processo = await afterCommit(ctx.log, ctx.governance, (gc) => startMeetingWorkflow(gc, meetingId));
  return { meetingId, processo };
}

/**
 * Sends the convocation now instead of at the legal deadline. The request is stored first (its audit row,
 * which the workflow's plan reads), then the workflow is told: a workflow restarted by the reconciler still
 * sends it at once (api/temporal.ts, kind 1).
 */
export async function releaseConvocation(ctx: OperationContext, meetingId: string) {
  const meeting = await meetingOr404(ctx.db, meetingId);
  requireStatus(meeting, ['planned'], 'inviare la convocazione');
  await ctx.db.auditEvent.create({ data: auditOf(ctx.actor, RELEASE_REQUESTED, meetingId, {}) });
  return afterCommit(ctx.log, ctx.governance, (gc) =>
    signalMeetingWithStart(gc, meetingId, 'releaseConvocation'),
  );
}

/**
 * Once the session has begun its workflow records the attendance and no longer moves or cancels it (a
 * session that fails, e.g. without a quorum, is held and minuted as such): say so, instead of a 202 for a
 * change that would never be applied.
 */
function refuseStarted(meeting: { startsAt: Date }, now: number, what: string): void {
  if (meeting.startsAt.getTime() <= now) {
    throw new RequestRejected(409, 'seduta_iniziata', `Impossibile ${what}: la seduta è già iniziata.`);
  }
}

export async function reschedule(
  ctx: OperationContext,
  meetingId: string,
  change: z.output<typeof Reschedule>,
): Promise<void> {
  const meeting = await meetingOr404(ctx.db, meetingId);
  requireStatus(meeting, ['planned', 'convened'], 'spostare la riunione');
  refuseStarted(meeting, ctx.now, 'spostare la riunione');
  if (Date.parse(change.startsAt) <= ctx.now) {
    throw new RequestRejected(400, 'richiesta_non_valida', 'La nuova data deve essere nel futuro.', [
      { field: 'startsAt', message: 'deve essere nel futuro' },
    ]);
  }
  refuseFarFuture(change.startsAt, ctx.now);
  await toWorkflow(ctx, meetingId, 'meeting.reschedule_requested', 'reschedule', change);
}

export async function cancel(
  ctx: OperationContext,
  meetingId: string,
  request: z.output<typeof Cancel>,
): Promise<void> {
  const meeting = await meetingOr404(ctx.db, meetingId);
  requireStatus(meeting, ['planned', 'convened'], 'annullare la riunione');
  refuseStarted(meeting, ctx.now, 'annullare la riunione');
  await toWorkflow(ctx, meetingId, 'meeting.cancel_requested', 'cancel', request);
}

/** New items: before the convocation they join the agenda, after it they are an addendum (24-hour rule). */
export async function addAgendaItems(
  ctx: OperationContext,
  meetingId: string,
  addendum: z.output<typeof Addendum>,
): Promise<void> {
  const meeting = await meetingOr404(ctx.db, meetingId);
  requireStatus(meeting, ['planned', 'convened'], "integrare l'ordine del giorno");
  // The workflow enforces the rule too; saying it here gives the person an answer instead of silence.
  if (meeting.status === 'convened' && meeting.startsAt.getTime() - ctx.now < ADDENDUM_NOTICE_MS) {
    throw new RequestRejected(
      409,
      'preavviso_insufficiente',
      "Mancano meno di 24 ore alla seduta: l'ordine del giorno non può più essere integrato.",
    );
  }
  await toWorkflow(ctx, meetingId, 'meeting.agenda_addendum_requested', 'agendaAddendum', addendum);
}

/** The roll call, for the people of the body and the invited; the workflow stores it and the quorum. */
export async function recordAttendance(
  ctx: OperationContext,
  meetingId: string,
  record: z.output<typeof Attendance>,
): Promise<void> {
  const meeting = await meetingOr404(ctx.db, meetingId);
  requireStatus(meeting, ['convened', 'held'], 'registrare le presenze');
  if (meeting.startsAt.getTime() > ctx.now) {
    throw new RequestRejected(
      409,
      'seduta_non_iniziata',
      'Le presenze si registrano dall’inizio della seduta in poi.',
    );
  }
  const known = await participants(ctx.db, meeting.id, meeting.bodyId, meeting.startsAt);
  const unknown = record.entries.flatMap((e, i) =>
    known.has(e.personId)
      ? []
      : [{ field: `entries.${i}.personId`, message: 'non è tra i componenti o gli invitati' }],
  );
  if (unknown.length) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      'Alcune persone non sono tra i componenti o gli invitati della seduta.',
      unknown,
    );
  }
  refuseArrivalsOutsideSession(record, meeting);
  // A delegate the registry does not have would fail the workflow's activity on the foreign key at every
  // retry, and the meeting's process would stand still: refuse it here, where the person can fix it.
  const delegateIds = record.entries.flatMap((e) => (e.delegatePersonId ? [e.delegatePersonId] : []));
  const registered = new Set(
    (await ctx.db.person.findMany({ where: { id: { in: delegateIds } }, select: { id: true } })).map(
      (p) => p.id,
    ),
  );
  const unregistered = record.entries.flatMap((e, i) =>
    e.delegatePersonId && !registered.has(e.delegatePersonId)
      ? [{ field: `entries.${i}.delegatePersonId`, message: 'persona sconosciuta' }]
      : [],
  );
  if (unregistered.length) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      'Alcuni delegati non sono tra le persone registrate: indicarne solo il nome.',
      unregistered,
    );
  }
  await toWorkflow(ctx, meetingId, 'meeting.attendance_recorded', 'attendance', record);
}

/**
 * An arrival is a time during the session: not before its start (that is being present, not late), and
 * not on another day. Sessions overrun their planned end, so the bound is the end of the session's day in
 * Rome, or the planned end when the session runs past midnight. Anything else would end up, as nonsense,
 * in the attendance reports and in the draft verbale.
 */
function refuseArrivalsOutsideSession(
  record: z.output<typeof Attendance>,
  meeting: { startsAt: Date; endsAt: Date },
): void {
  const from = meeting.startsAt.getTime();
  const until = Math.max(meeting.endsAt.getTime(), Date.parse(endOfDay(dayInRome(meeting.startsAt))));
  const startTime = formatTime(meeting.startsAt.toISOString());
  const outside = record.entries.flatMap((e, i) => {
    const at = e.arrivedAt === undefined ? undefined : Date.parse(e.arrivedAt);
    return at === undefined || (at >= from && at <= until)
      ? []
      : [
          {
            field: `entries.${i}.arrivedAt`,
            message: `dalle ${startTime}, inizio della seduta, ed entro lo stesso giorno`,
          },
        ];
  });
  if (outside.length) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      `Un'ora di arrivo cade fuori dalla seduta: indicarla dalle ${startTime} in poi, nel giorno della seduta.`,
      outside,
    );
  }
}

/** Holders and standing delegates of the body's seats on the day, and whoever was invited. */
async function participants(
  db: Database,
  meetingId: string,
  bodyId: string,
  day: Date,
): Promise<Set<string>> {
  const [memberships, invitations] = await Promise.all([
    db.membership.findMany({
      where: {
        seat: { bodyId },
        ...heldOn(day),
      },
    }),
    db.invitation.findMany({ where: { meetingId } }),
  ]);
  return new Set([
    ...memberships.flatMap((m) => (m.delegatePersonId ? [m.personId, m.delegatePersonId] : [m.personId])),
    ...invitations.map((i) => i.personId),
  ]);
}

// ───────────── The agenda before the convocation: stored here, read by the workflow when it convenes ─────────────

/**
 * A meeting whose agenda may still be rewritten (nothing has been sent yet), checked inside the change's
 * transaction, with the meeting's row held until it commits. Two changes at once (a point removed twice, removed while the agenda is reordered) then run one after the
 * other and the second sees the first, instead of failing on a row gone meanwhile or deadlocking (a 500).
 */
async function holdAgenda(tx: Tx, meetingId: string, what: string): Promise<void> {
  requireEditable(await holdMeeting(tx, meetingId), what);
}

/** The meeting's row, held until the transaction commits, so that changes to its agenda run one at a time. */
async function holdMeeting(tx: Tx, meetingId: string) {
  await tx.$queryRaw`SELECT 1 AS locked FROM "Meeting" WHERE "id" = ${meetingId}::uuid FOR UPDATE`;
  const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { status: true } });
  if (!meeting) {
    throw new RequestRejected(404, 'riunione_sconosciuta', `Riunione sconosciuta: ${meetingId}`, [
      { field: 'id', message: 'nessuna riunione con questo identificativo' },
    ]);
  }
  return meeting;
}

function requireEditable(meeting: { status: MeetingStatus }, what: string): void {
  if (meeting.status === 'convened') {
    throw new RequestRejected(
      409,
      'convocazione_inviata',
      `Impossibile ${what}: la convocazione è già partita. Si possono solo aggiungere punti (integrazione dell'ordine del giorno).`,
    );
  }
  requireStatus(meeting, ['planned'], what);
}

async function itemOr404(db: Pick<Tx, 'agendaItem'>, meetingId: string, itemId: string) {
  const item = await db.agendaItem.findFirst({ where: { id: itemId, meetingId } });
  if (!item) {
    throw new RequestRejected(404, 'punto_sconosciuto', 'Punto all’ordine del giorno non trovato.', [
      { field: 'itemId', message: 'nessun punto con questo identificativo in questa riunione' },
    ]);
  }
  return item;
}

export async function editAgendaItem(
  ctx: OperationContext,
  meetingId: string,
  itemId: string,
  input: z.output<typeof AgendaItemInput>,
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await holdAgenda(tx, meetingId, 'modificare il punto');
    const before = await itemOr404(tx, meetingId, itemId);
    await tx.agendaItem.update({
      where: { id: itemId },
      data: { title: input.title, description: input.description ?? null },
    });
    await tx.auditEvent.create({
      data: auditOf(ctx.actor, 'meeting.agenda_item_edited', meetingId, {
        itemId,
        title: input.title,
        previousTitle: before.title,
      }),
    });
  });
}

export async function removeAgendaItem(
  ctx: OperationContext,
  meetingId: string,
  itemId: string,
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await holdAgenda(tx, meetingId, 'togliere il punto');
    const item = await itemOr404(tx, meetingId, itemId);
    // The item's documents go with it. Left behind (the foreign key only empties their item) they would
    // sit on the meeting outside the agenda, where only verbale files live: nobody could remove them, and
    // the documents route would treat them as a verbale.
    const documents = await tx.document.findMany({
      where: { agendaItemId: itemId },
      select: { id: true, name: true },
    });
    await tx.document.deleteMany({ where: { id: { in: documents.map((d) => d.id) } } });
    for (const d of documents) {
      await tx.auditEvent.create({
        data: auditOf(ctx.actor, 'meeting.document_removed', meetingId, {
          documentId: d.id,
          name: d.name,
          itemId,
        }),
      });
    }
    await tx.agendaItem.delete({ where: { id: itemId } });
    const rest = await tx.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' } });
    await renumber(
      tx,
      rest.map((r) => r.id),
    );
    await tx.auditEvent.create({
      data: auditOf(ctx.actor, 'meeting.agenda_item_removed', meetingId, { itemId, title: item.title }),
    });
  });
}

/** The agenda in a new order: every item named once. */
export async function reorderAgenda(
  ctx: OperationContext,
  meetingId: string,
  order: z.output<typeof AgendaOrder>,
): Promise<void> {
  const what = "riordinare l'ordine del giorno";
  await ctx.db.$transaction(async (tx) => {
    await holdAgenda(tx, meetingId, what);
    const items = await tx.agendaItem.findMany({ where: { meetingId } });
    const ids = new Set(items.map((i) => i.id));
    if (order.itemIds.length !== ids.size || order.itemIds.some((id) => !ids.has(id))) {
      throw new RequestRejected(
        400,
        'richiesta_non_valida',
        'Indicare ogni punto dell’ordine del giorno una volta.',
        [{ field: 'itemIds', message: `attesi i ${ids.size} punti della riunione, ciascuno una volta` }],
      );
    }
    await renumber(tx, order.itemIds);
    await tx.auditEvent.create({
      data: auditOf(ctx.actor, 'meeting.agenda_reordered', meetingId, { itemIds: order.itemIds }),
    });
  });
}

/** Moves one item up or down by one place (the form's arrows). */
export async function moveAgendaItem(
  ctx: OperationContext,
  meetingId: string,
  itemId: string,
  direction: 'up' | 'down',
): Promise<void> {
  const items = await ctx.db.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' } });
  const ids = items.map((i) => i.id);
  const at = ids.indexOf(itemId);
  if (at < 0) await itemOr404(ctx.db, meetingId, itemId);
  const to = direction === 'up' ? at - 1 : at + 1;
  if (to < 0 || to >= ids.length) return; // already first or last: nothing to move
  [ids[at], ids[to]] = [ids[to]!, ids[at]!];
  return reorderAgenda(ctx, meetingId, { itemIds: ids });
}

type Tx = Parameters<Parameters<Database['$transaction']>[0]>[0];

/** Positions 1..n in the given order; through negative positions, since (meeting, position) is unique. */
async function renumber(tx: Tx, orderedIds: string[]): Promise<void> {
  for (const [i, id] of orderedIds.entries())
    await tx.agendaItem.update({ where: { id }, data: { position: -(i + 1) } });
  for (const [i, id] of orderedIds.entries())
    await tx.agendaItem.update({ where: { id }, data: { position: i + 1 } });
}

// ───────────── Documents of agenda items ─────────────

/** Attaches a document to an item; allowed until the session starts (members read it before). */
export async function attachDocument(
  ctx: OperationContext,
  meetingId: string,
  itemId: string,
  file: UploadedDocument,
) {
  // Checked under the meeting's lock, as the removal of the item takes it: an item removed meanwhile is
  // then a 404, not a foreign-key failure (500) on the insert.
  return ctx.db.$transaction(async (tx) => {
    requireStatus(await holdMeeting(tx, meetingId), ['planned', 'convened'], 'allegare documenti');
    await itemOr404(tx, meetingId, itemId);
    const doc = await tx.document.create({
      data: {
        name: file.name,
        mimeType: file.mimeType,
        sizeBytes: file.content.length,
        sha256: file.sha256,
        content: new Uint8Array(file.content),
        meetingId,
        agendaItemId: itemId,
        uploadedBy: ctx.actor,
      },
      select: { id: true, name: true, mimeType: true, sizeBytes: true, sha256: true },
    });
    await tx.auditEvent.create({
      data: auditOf(ctx.actor, 'meeting.document_attached', meetingId, { itemId, ...doc }),
    });
    return doc;
  });
}

export async function removeDocument(
  ctx: OperationContext,
  meetingId: string,
  documentId: string,
): Promise<void> {
  const meeting = await meetingOr404(ctx.db, meetingId);
  requireStatus(meeting, ['planned', 'convened'], 'togliere documenti');
  const doc = await documentOr404(ctx.db, meetingId, documentId);
  if (!doc.agendaItemId) {
    throw new RequestRejected(409, 'documento_non_rimovibile', 'Il verbale non si toglie da qui.');
  }
  await ctx.db.$transaction([
    ctx.db.document.delete({ where: { id: documentId } }),
    ctx.db.auditEvent.create({
      data: auditOf(ctx.actor, 'meeting.document_removed', meetingId, { documentId, name: doc.name }),
    }),
  ]);
}

export async function documentOr404(db: Database, meetingId: string, documentId: string) {
  const doc = await db.document.findFirst({ where: { id: documentId, meetingId } });
  if (!doc) {
    throw new RequestRejected(404, 'documento_sconosciuto', 'Documento non trovato.', [
      { field: 'documentId', message: 'nessun documento con questo identificativo in questa riunione' },
    ]);
  }
  return doc;
}
