/**
 * The pages that links in e-mails open about a meeting: the meeting (/riunioni/:id) and its verbale
 * (/riunioni/:id/verbale); a deliverable's page is in api/deliverables/pages.ts. Read-only, in the layout (api/layout), working without JavaScript. They show
 * what the recipients of those e-mails already know (body, date, place, agenda, stage and deadlines).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { MEETING_STATUS, VERBALE_STATUS } from '../layout/labels';
import { documentHeaders } from '../meetings/upload';

const Id = z.object({ id: z.uuid() });
const DocumentId = z.object({ id: z.uuid(), documentId: z.uuid() });
const VIEWS = 'api/pages/views';

/** `what`: the whole Italian phrase, e.g. "Seduta non trovata" (the participle agrees with the noun). */
export function notFound(reply: FastifyReply, what: string) {
  return reply.errorPage(
    404,
    what,
    "Il collegamento non corrisponde a nulla di registrato. Verifichi di averlo copiato per intero o chieda all'Ufficio di Piano.",
  );
}

/**
 * The e-mail token a page was opened with (`?t=`, api/auth/guard.ts), to carry on the links between the
 * meeting's page, its verbale page and the verbale's file: without it a recipient who is not signed in would
 * be asked to, or get a bare 401 from the file's JSON route. Only a token-shaped value is carried.
 */
function tokenOf(query: unknown): string | null {
  const t = (query as { t?: unknown } | undefined)?.t;
  return typeof t === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(t) ? t : null;
}

export const pagesRoutes: FastifyPluginAsync = async (app) => {
  async function loadMeeting(id: unknown) {
    const parsed = Id.safeParse({ id });
    if (!parsed.success) return null;
    return app.db.meeting.findUnique({
      where: { id: parsed.data.id },
      include: { body: true, agendaItems: { orderBy: { position: 'asc' } }, verbale: true },
    });
  }

  const meetingRead = { access: { action: 'meeting.read', on: 'meeting' } } as const;

  app.get<{ Params: { id: string } }>('/riunioni/:id', { config: meetingRead }, async (request, reply) => {
    const meeting = await loadMeeting(request.params.id);
    if (!meeting) return notFound(reply, 'Seduta non trovata');
    return reply.page(`${VIEWS}/seduta.hbs`, {
      title: meeting.body.name,
      meeting,
      status: MEETING_STATUS[meeting.status],
      verbale: meeting.verbale && VERBALE_STATUS[meeting.verbale.status],
      token: tokenOf(request.query),
    });
  });

  // The links to agenda documents in convocations (activities/meetings.ts) and on Le mie riunioni. Only
  // documents of an agenda item: the verbale's file has its own route, which keeps drafts to their readers.
  app.get('/riunioni/:id/documenti/:documentId', { config: meetingRead }, async (request, reply) => {
    const parsed = DocumentId.safeParse(request.params);
    const doc = parsed.success
      ? await app.db.document.findFirst({
          where: { id: parsed.data.documentId, meetingId: parsed.data.id, agendaItemId: { not: null } },
        })
      : null;
    if (!doc) return notFound(reply, 'Documento non trovato');
    return reply.headers(documentHeaders(doc)).send(Buffer.from(doc.content));
  });

  app.get<{ Params: { id: string } }>(
    '/riunioni/:id/verbale',
    { config: meetingRead },
    async (request, reply) => {
      const meeting = await loadMeeting(request.params.id);
      if (!meeting) return notFound(reply, 'Seduta non trovata');
      return reply.page(`${VIEWS}/verbale.hbs`, {
        title: `Verbale – ${meeting.body.name}`,
        meeting,
        verbale: meeting.verbale && {
          ...meeting.verbale,
          statusLabel: VERBALE_STATUS[meeting.verbale.status],
        },
        token: tokenOf(request.query),
      });
    },
  );
};
