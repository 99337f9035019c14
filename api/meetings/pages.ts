/**
 * The Seduta page (`/sedute/:id`) where the office prepares and runs one meeting, and Nuova seduta
 * (`/sedute/nuova`). `/riunioni/:id` stays the read-only page that links in e-mails open for every member;
 * this one is for those who prepare the meeting (policy `meeting.prepare`), so its forms never meet a 403.
 *
 * Every form posts to the operation its JSON route calls (operations.ts), then redirects (Post/Redirect/Get);
 * a refused form re-renders the page with the message next to the field and what was typed.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z, ZodError } from 'zod';
import { iso } from '../../activities/meetings';
import { atRome, dateOf, formatInstant, readClock } from '../../domain/index';
import { can } from '../../domain/policy';
import type { Database } from '../../prisma/client';
import { formatDate } from '../../notifications/format';
import { RequestRejected } from '../errors';
import type { GovernanceOptions } from '../temporal';
import { may } from './access';
import { previewConvocation } from './convocation';
import * as op from './operations';
import { approveMinutes, extendMinutes, submitMinutes } from './minutes-operations';
import { AgendaItemInput, Attendance, Cancel, CreateMeeting, MinutesExtension, Reschedule } from './schemas';
import { MAX_DOCUMENT_BYTES, readUploadedDocument } from './upload';
import { meetingOr404 } from './view';
import { sedutaData, type FormState } from './seduta-data';

const VIEWS = 'api/meetings/views';
const Id = z.object({ id: z.uuid() });
const ItemId = z.object({ id: z.uuid(), itemId: z.uuid() });
const DocId = z.object({ id: z.uuid(), documentId: z.uuid() });

type Form = Record<string, string | undefined>;

/** "2027-03-16" and "18:00" as an instant in Crema; undefined when either is missing or malformed. */
function instantOf(day: string | undefined, time: string | undefined): string | undefined {
  if (!day || !time || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  try {
    return formatInstant(atRome(day, time));
  } catch {
    return undefined;
  }
}

/**
 * A message of the JSON API as a page shows it: the API names its fields for the programs that call it
 * («deve essere successivo all'inizio (startsAt)») and its days as stored (2027-06-08); the person reads the
 * form's labels and «martedì 8 giugno 2027».
 */
const forPeople = (message: string) =>
  message
    .replace(/ \((?:startsAt|endsAt|place|onlineUrl)\)/g, '')
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, (day) => formatDate(day, 'it'));

/** Field messages of a refused form, by field name; null when the error is not the person's to fix. */
function fieldProblems(err: unknown): { message: string; fields: Record<string, string> } | null {
  if (err instanceof ZodError) {
    const fields: Record<string, string> = {};
    for (const issue of err.issues) fields[issue.path.join('.') || 'form'] ??= forPeople(issue.message);
    return { message: 'Alcuni campi non sono validi.', fields };
  }
  if (err instanceof RequestRejected && err.statusCode < 500) {
    return {
      message: forPeople(err.message),
      fields: Object.fromEntries(err.fields.map((f) => [f.field, forPeople(f.message)])),
    };
  }
  return null;
}

export const meetingPages: FastifyPluginAsync<GovernanceOptions> = async (app, options) => {
  const db: Database = app.db;
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 5, parts: 6 } });
  const ctxOf = (request: FastifyRequest) => op.operationContext(request, db, options);

  /** The seduta's page; a meeting that does not exist (or no longer does) is the 404 page, form or not. */
  async function render(reply: FastifyReply, id: string, form?: FormState) {
    await meetingOr404(db, id);
    const done = (reply.request.query as { fatto?: string } | undefined)?.fatto;
    const now = await readClock(options.now);
    const data = await sedutaData(db, id, now, app.config.PUBLIC_BASE_URL, form, done);
    return reply.page(`${VIEWS}/seduta.hbs`, data);
  }

  /**
   * Runs a form's operation: on success back to the page at the form's section (Post/Redirect/Get), on a
   * refusal the page again with the messages next to the fields and what was typed.
   */
  async function submit(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    section: string,
    values: Form,
    action: () => Promise<unknown>,
  ) {
    try {
      await action();
    } catch (err) {
      const problems = fieldProblems(err);
      if (!problems) throw err;
      reply.status(err instanceof RequestRejected ? err.statusCode : 400);
      return render(reply, id, { section, values, ...problems });
    }
    return reply.redirect(`/sedute/${id}?fatto=${section}#${section}`, 303);
  }

  const form = (request: FastifyRequest) => (request.body ?? {}) as Form;
  const params = <T extends z.ZodType>(schema: T, request: FastifyRequest): z.output<T> => {
    const parsed = schema.safeParse(request.params);
    if (!parsed.success) throw new RequestRejected(404, 'non_trovata', 'Seduta non trovata.');
    return parsed.data;
  };

  // ───── Nuova seduta ─────
  const newMeetingPage = async (reply: FastifyReply, state?: FormState) => {
    const all = await db.body.findMany({
      where: { active: true },
      orderBy: { name: 'asc' },
      include: { spansAmbiti: { select: { ambitoId: true } } },
    });
    // Only the bodies this person may convene: never another ambito's (tenancy), nor any for a member.
    const principal = reply.request.viewer?.principal;
    const bodies = all.filter(
      (b) =>
        principal &&
        can(principal, 'body.meeting.create', {
          kind: 'body',
          bodyId: b.id,
          ambitoIds: [b.ambitoId, ...b.spansAmbiti.map((a) => a.ambitoId)],
        }),
    );
    return reply.page(`${VIEWS}/nuova-seduta.hbs`, {
      title: 'Nuova seduta',
      bodies: bodies.map((b) => ({ id: b.id, name: b.name, selected: state?.values.bodyId === b.id })),
      values: state?.values ?? { startTime: '18:00', endTime: '20:00' },
      errors: state?.fields ?? {},
      message: state?.message,
    });
  };

  app.get('/sedute/nuova', { config: { access: 'signed-in' } }, (_request, reply) => newMeetingPage(reply));

  app.post(
    '/sedute',
    { config: { access: { action: 'body.meeting.create', on: 'body' } } },
    async (request, reply) => {
      const values = form(request);
      const agenda = (values.agenda ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
        .map((title) => ({ title }));
      try {
        const input = CreateMeeting.parse({
          bodyId: values.bodyId,
          startsAt: instantOf(values.day, values.startTime),
          endsAt: instantOf(values.day, values.endTime),
          ...(values.place?.trim() ? { place: values.place } : {}),
          ...(values.onlineUrl?.trim() ? { onlineUrl: values.onlineUrl.trim() } : {}),
          urgent: values.urgent === 'on',
          agenda,
        });
        const { meetingId } = await op.createMeeting(await ctxOf(request), input);
        return reply.redirect(`/sedute/${meetingId}?fatto=creata`, 303);
      } catch (err) {
        const problems = fieldProblems(err);
        if (!problems) throw err;
        // The form asks for a day and two times; the operation speaks of instants.
        const f = problems.fields;
        for (const [from, to] of [
          ['startsAt', 'day'],
          ['endsAt', 'endTime'],
        ] as const) {
          if (f[from] && !f[to]) f[to] = f[from] === 'Invalid input' ? 'indicare giorno e ora' : f[from];
        }
        if (f.bodyId && !values.bodyId) f.bodyId = 'scegliere un organo';
        // The API's message names its JSON fields (place, onlineUrl); the person reads the form's labels.
        if (f.place && !values.place?.trim() && !values.onlineUrl?.trim())
          f.place = 'indicare il luogo oppure il collegamento online';
        reply.status(err instanceof RequestRejected ? err.statusCode : 400);
        return newMeetingPage(reply, { section: 'nuova', values, ...problems });
      }
    },
  );

  // ───── The page ─────
  app.get('/sedute/:id', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    return render(reply, id);
  });

  app.get('/sedute/:id/anteprima', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    const meeting = await meetingOr404(db, id);
    const preview = await previewConvocation(db, app.config.PUBLIC_BASE_URL, id);
    return reply.page(`${VIEWS}/anteprima.hbs`, {
      title: `Anteprima della convocazione – ${meeting.body.name}`,
      meetingId: id,
      preview,
      foreignHtml: true,
    });
  });

  // ───── Agenda and documents ─────
  app.post('/sedute/:id/punti', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    const values = form(request);
    return submit(request, reply, id, 'odg', values, async () => {
      const item = AgendaItemInput.parse({
        title: values.title ?? '',
        ...(values.description?.trim() ? { description: values.description } : {}),
      });
      await op.addAgendaItems(await ctxOf(request), id, { items: [item] });
    });
  });

  app.post('/sedute/:id/punti/:itemId', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id, itemId } = params(ItemId, request);
    const values = form(request);
    return submit(request, reply, id, `punto-${itemId}`, values, async () => {
      const ctx = await ctxOf(request);
      if (values.azione === 'elimina') return op.removeAgendaItem(ctx, id, itemId);
      if (values.azione === 'su' || values.azione === 'giu')
        return op.moveAgendaItem(ctx, id, itemId, values.azione === 'su' ? 'up' : 'down');
      const item = AgendaItemInput.parse({
        title: values.title ?? '',
        ...(values.description?.trim() ? { description: values.description } : {}),
      });
      return op.editAgendaItem(ctx, id, itemId, item);
    });
  });

  app.post(
    '/sedute/:id/punti/:itemId/documenti',
    { config: may('meeting.prepare') },
    async (request, reply) => {
      const { id, itemId } = params(ItemId, request);
      return submit(request, reply, id, `punto-${itemId}`, {}, async () => {
        const file = await readUploadedDocument(request, 'il documento', 'documento');
        await op.attachDocument(await ctxOf(request), id, itemId, file);
      });
    },
  );

  app.post(
    '/sedute/:id/documenti/:documentId/elimina',
    { config: may('meeting.prepare') },
    async (request, reply) => {
      const { id, documentId } = params(DocId, request);
      return submit(request, reply, id, 'odg', {}, async () =>
        op.removeDocument(await ctxOf(request), id, documentId),
      );
    },
  );

  // ───── Convocation, reschedule, cancel ─────
  app.post('/sedute/:id/convocazione', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    return submit(request, reply, id, 'convocazione', {}, async () =>
      op.releaseConvocation(await ctxOf(request), id),
    );
  });

  app.post('/sedute/:id/sposta', { config: may('meeting.reschedule') }, async (request, reply) => {
    const { id } = params(Id, request);
    const values = form(request);
    return submit(request, reply, id, 'sposta', values, async () => {
      const change = Reschedule.safeParse({
        startsAt: instantOf(values.day, values.startTime),
        endsAt: instantOf(values.day, values.endTime),
        ...(values.reason?.trim() ? { reason: values.reason } : {}),
      });
      if (!change.success) {
        const issue = change.error.issues[0]!;
        const field = issue.path[0] === 'endsAt' ? 'endTime' : 'day';
        throw new RequestRejected(400, 'richiesta_non_valida', 'Data o orari non validi.', [
          {
            field,
            message:
              issue.path[0] === 'endsAt' && values.day ? forPeople(issue.message) : 'indicare giorno e orari',
          },
        ]);
      }
      await op.reschedule(await ctxOf(request), id, change.data);
    });
  });

  app.post('/sedute/:id/annulla', { config: may('meeting.cancel') }, async (request, reply) => {
    const { id } = params(Id, request);
    const values = form(request);
    return submit(request, reply, id, 'annulla', values, async () =>
      op.cancel(await ctxOf(request), id, Cancel.parse({ reason: values.reason ?? '' })),
    );
  });

  // ───── Roll call ─────
  app.post('/sedute/:id/presenze', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    const values = form(request);
    return submit(request, reply, id, 'appello', values, async () => {
      const meeting = await meetingOr404(db, id);
      const day = dateOf(iso(meeting.startsAt));
      const everyonePresent = values.azione === 'tutti-presenti';
      const people = Object.keys(values)
        .filter((k) => k.startsWith('persona-'))
        .map((k) => values[k]!);
      // entries.3.delegateName → the field of that person's row.
      const rowField = (index: unknown, key: unknown) =>
        `${key === 'arrivedAt' ? 'arrivo' : key === 'delegateName' ? 'delegato' : 'stato'}-${people[Number(index)]}`;
      const record = Attendance.safeParse({
        entries: people.map((personId) => {
          const status = everyonePresent ? 'present' : (values[`stato-${personId}`] ?? 'absent');
          const arrival = values[`arrivo-${personId}`]?.trim();
          const delegate = values[`delegato-${personId}`]?.trim();
          return {
            personId,
            status,
            ...(status === 'delegate' ? { delegateName: delegate ?? '' } : {}),
            ...(arrival && !everyonePresent && (status === 'present' || status === 'delegate')
              ? { arrivedAt: instantOf(day, arrival) ?? arrival }
              : {}),
          };
        }),
      });
      if (!record.success) {
        const fields = record.error.issues.map((issue) => ({
          field: rowField(issue.path[1], issue.path[2]),
          message: issue.path[2] === 'arrivedAt' ? 'ora non valida (HH:MM)' : issue.message,
        }));
        throw new RequestRejected(
          400,
          'richiesta_non_valida',
          'Alcune righe dell’appello non sono valide.',
          fields,
        );
      }
      try {
        await op.recordAttendance(await ctxOf(request), id, record.data);
      } catch (err) {
        // The operation names rows as the JSON route does (entries.3.arrivedAt): show each next to its row.
        if (!(err instanceof RequestRejected)) throw err;
        throw new RequestRejected(
          err.statusCode,
          err.code,
          err.message,
          err.fields.map((f) => {
            const [, index, key] = f.field.split('.');
            return { field: key ? rowField(index, key) : f.field, message: f.message };
          }),
        );
      }
    });
  });

  // ───── Verbale ─────
  app.post('/sedute/:id/verbale', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    return submit(request, reply, id, 'verbale', {}, async () =>
      submitMinutes(await ctxOf(request), id, () =>
        readUploadedDocument(request, 'il file del verbale', 'verbale'),
      ),
    );
  });

  app.post('/sedute/:id/verbale/approva', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    return submit(request, reply, id, 'verbale', {}, async () => approveMinutes(await ctxOf(request), id));
  });

  app.post('/sedute/:id/verbale/proroga', { config: may('meeting.prepare') }, async (request, reply) => {
    const { id } = params(Id, request);
    const values = form(request);
    return submit(request, reply, id, 'proroga', values, async () =>
      extendMinutes(
        await ctxOf(request),
        id,
        MinutesExtension.parse({ dueDate: values.dueDate ?? '', reason: values.reason ?? '' }),
      ),
    );
  });
};
