/**
 * /api/v1/meetings: create an extra meeting, read one, and change it (reschedule, cancel, agenda addendum,
 * attendance). Creation is stored here; the changes are applied by the meeting workflow (see api/temporal.ts
 * for the order of effects and why).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dateOf } from '../../domain/index';
import { queryMeeting, startMeetingWorkflow } from '../../workflows/client';
import type { MeetingState } from '../../workflows/meeting';
import { RequestRejected } from '../errors';
import {
  actorOf,
  afterCommit,
  auditedSignal,
  nowOf,
  signalMeetingWithStart,
  type GovernanceOptions,
} from '../temporal';
import { MAX_MINUTES_BYTES, minutesRoutes } from './minutes';
import { Addendum, Attendance, Cancel, CreateMeeting, MeetingParams, Reschedule } from './schemas';
import { meetingOr404, meetingView, requireStatus } from './view';

/** The 24-hour rule of the agreement: an addendum must reach members a day before the session. */
const ADDENDUM_NOTICE_MS = 24 * 3600_000;
/** A query waits for a worker; the page must not hang on it. */
const QUERY_TIMEOUT_MS = 3_000;

const ACCEPTED =
  'Richiesta accettata: il processo della riunione la applica e invia le comunicazioni previste.';

export const meetingsRoutes: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const { governance } = options;
  const db = app.db;
  await app.register(multipart, {
    limits: { fileSize: MAX_MINUTES_BYTES, files: 1, fields: 5, parts: 6 },
  });
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/meetings',
    { config: { access: { action: 'body.meeting.create', on: 'body' } }, schema: { body: CreateMeeting } },
    async (request, reply) => {
      const input = request.body;
      const actor = actorOf(request);
      const body = await db.body.findUnique({ where: { id: input.bodyId } });
      if (!body?.active) {
        throw new RequestRejected(404, 'organo_sconosciuto', `Organo sconosciuto: ${input.bodyId}`, [
          { field: 'bodyId', message: 'nessun organo attivo con questo identificativo' },
        ]);
      }
      if (Date.parse(input.startsAt) <= (await nowOf(options))) {
        throw new RequestRejected(400, 'richiesta_non_valida', 'La riunione deve iniziare nel futuro.', [
          { field: 'startsAt', message: 'deve essere nel futuro' },
        ]);
      }
      const plannedDateKey = dateOf(input.startsAt);
      const duplicate = () =>
        new RequestRejected(
          409,
          'riunione_esistente',
          `Esiste già una riunione di ${body.name} il ${plannedDateKey}: modificarla invece di crearne un'altra.`,
          [{ field: 'startsAt', message: 'giorno già occupato per questo organo' }],
        );
      if (
        await db.meeting.findUnique({ where: { bodyId_plannedDateKey: { bodyId: body.id, plannedDateKey } } })
      )
        throw duplicate();
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
      const processo = await afterCommit(request.log, governance, (gc) =>
        startMeetingWorkflow(gc, meetingId),
      );
      return reply
        .status(processo.stato === 'notificato' ? 201 : 202)
        .send({ meeting: await meetingView(db, meetingId), processo });
    },
  );

  api.get(
    '/meetings/:id',
    { config: { access: { action: 'meeting.read', on: 'meeting' } }, schema: { params: MeetingParams } },
    async (request) => {
      const { id } = request.params;
      await meetingOr404(db, id);
      return { meeting: await meetingView(db, id), processo: await workflowState(id) };
    },
  );

  api.post(
    '/meetings/:id/reschedule',
    {
      config: { access: { action: 'meeting.reschedule', on: 'meeting' } },
      schema: { params: MeetingParams, body: Reschedule },
    },
    async (request, reply) => {
      const { id } = request.params;
      const meeting = await meetingOr404(db, id);
      requireStatus(meeting, ['planned', 'convened'], 'spostare la riunione');
      if (Date.parse(request.body.startsAt) <= (await nowOf(options))) {
        throw new RequestRejected(400, 'richiesta_non_valida', 'La nuova data deve essere nel futuro.', [
          { field: 'startsAt', message: 'deve essere nel futuro' },
        ]);
      }
      const change = request.body;
      await auditedSignal(
        db,
        request.log,
        governance,
        audit(actorOf(request), 'meeting.reschedule_requested', id, change),
        (gc) => signalMeetingWithStart(gc, id, 'reschedule', change),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  api.post(
    '/meetings/:id/cancel',
    {
      config: { access: { action: 'meeting.cancel', on: 'meeting' } },
      schema: { params: MeetingParams, body: Cancel },
    },
    async (request, reply) => {
      const { id } = request.params;
      requireStatus(await meetingOr404(db, id), ['planned', 'convened'], 'annullare la riunione');
      const cancel = request.body;
      await auditedSignal(
        db,
        request.log,
        governance,
        audit(actorOf(request), 'meeting.cancel_requested', id, cancel),
        (gc) => signalMeetingWithStart(gc, id, 'cancel', cancel),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  api.post(
    '/meetings/:id/agenda',
    {
      config: { access: { action: 'meeting.prepare', on: 'meeting' } },
      schema: { params: MeetingParams, body: Addendum },
    },
    async (request, reply) => {
      const { id } = request.params;
      const meeting = await meetingOr404(db, id);
      requireStatus(meeting, ['planned', 'convened'], "integrare l'ordine del giorno");
      // The workflow enforces the rule too; saying it here gives the person an answer instead of silence.
      if (
        meeting.status === 'convened' &&
        meeting.startsAt.getTime() - (await nowOf(options)) < ADDENDUM_NOTICE_MS
      ) {
        throw new RequestRejected(
          409,
          'preavviso_insufficiente',
          "Mancano meno di 24 ore alla seduta: l'ordine del giorno non può più essere integrato.",
        );
      }
      const addendum = request.body;
      await auditedSignal(
        db,
        request.log,
        governance,
        audit(actorOf(request), 'meeting.agenda_addendum_requested', id, addendum),
        (gc) => signalMeetingWithStart(gc, id, 'agendaAddendum', addendum),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  api.post(
    '/meetings/:id/attendance',
    {
      config: { access: { action: 'meeting.prepare', on: 'meeting' } },
      schema: { params: MeetingParams, body: Attendance },
    },
    async (request, reply) => {
      const { id } = request.params;
      const meeting = await meetingOr404(db, id);
      requireStatus(meeting, ['convened', 'held'], 'registrare le presenze');
      if (meeting.startsAt.getTime() > (await nowOf(options))) {
        throw new RequestRejected(
          409,
          'seduta_non_iniziata',
          'Le presenze si registrano dall’inizio della seduta in poi.',
        );
      }
      const record = request.body;
      const known = await participants(meeting.id, meeting.bodyId, meeting.startsAt);
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
      await auditedSignal(
        db,
        request.log,
        governance,
        audit(actorOf(request), 'meeting.attendance_recorded', id, record),
        (gc) => signalMeetingWithStart(gc, id, 'attendance', record),
      );
      return reply.status(202).send({ accettata: true, messaggio: ACCEPTED });
    },
  );

  // Only our own options: passing Fastify's (with the prefix) again would prefix the routes twice.
  await app.register(minutesRoutes, { governance, now: options.now });

  /** Holders and standing delegates of the body's seats on the day, and whoever was invited. */
  async function participants(meetingId: string, bodyId: string, day: Date): Promise<Set<string>> {
    const [memberships, invitations] = await Promise.all([
      db.membership.findMany({
        where: {
          seat: { bodyId },
          validFrom: { lte: day },
          OR: [{ validTo: null }, { validTo: { gte: day } }],
        },
      }),
      db.invitation.findMany({ where: { meetingId } }),
    ]);
    return new Set([
      ...memberships.flatMap((m) => (m.delegatePersonId ? [m.personId, m.delegatePersonId] : [m.personId])),
      ...invitations.map((i) => i.personId),
    ]);
  }

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

function audit(actor: string, action: string, entityId: string, data: object) {
  return { actor, action, entity: 'meeting' as const, entityId, data: { ...data } };
}
