/**
 * The pages that links in e-mails open: a meeting (/riunioni/:id), its verbale (/riunioni/:id/verbale), a
 * deliverable (/scadenze/:id) and a body's sessions (/organi/:id, linked from compliance warnings). Read-only and server-rendered, in Italian, working without JavaScript.
 * They show what the recipients of those e-mails already know (body, date, place, agenda, stage and
 * deadlines), never who answered what: that stays behind the API until authentication exists.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { formatDate, formatDateTime } from '../../notifications/format';
import { escapeHtml, page } from '../../notifications/html';

const MEETING_STATUS: Record<string, string> = {
  planned: 'in programma',
  convened: 'convocata',
  held: 'tenuta',
  closed: 'conclusa',
  cancelled: 'annullata',
};
const VERBALE_STATUS: Record<string, string> = {
  draft: 'caricato, in attesa di approvazione',
  circulated: 'trasmesso ai componenti',
  approved: 'approvato',
  published: 'pubblicato',
};
const DELIVERABLE_KIND: Record<string, string> = {
  piano_operativo: 'Piano Operativo',
  report_annuale: 'Report annuale',
  aggiornamento_semestrale: 'Aggiornamento semestrale',
};
const STAGE: Record<string, string> = {
  udp_draft: "bozza dell'Ufficio di Piano",
  cr_review: 'esame del Comitato Ristretto',
  ads_approval: "approvazione dell'Assemblea dei Sindaci",
  completed: 'concluso',
};
const DELIVERABLE_STATUS: Record<string, string> = {
  open: 'aperto',
  submitted: 'presentato',
  approved: 'approvato',
  waived: 'non dovuto (esonero)',
};
const EVENT: Record<string, string> = {
  created: 'creato',
  stage_changed: 'cambio di fase',
  submitted: 'presentato',
  approved: 'approvato',
  deadline_extended: 'scadenza prorogata',
  waived: 'esonero',
  reminded: 'promemoria inviato',
  escalated: 'sollecito',
};

const Id = z.object({ id: z.uuid() });
const civilDate = (date: Date) => formatDate(date.toISOString().slice(0, 10) + 'T12:00:00Z', 'it');

/** `what`: the whole Italian phrase, e.g. "Seduta non trovata" (the participle agrees with the noun). */
function notFound(reply: FastifyReply, what: string) {
  return reply
    .status(404)
    .type('text/html; charset=utf-8')
    .send(
      page(
        'Pagina non trovata',
        `<h1>${escapeHtml(what)}</h1><p>Il collegamento non corrisponde a nulla di registrato. Verifichi di averlo copiato per intero o chieda all'Ufficio di Piano. <small>Not found: please check the link.</small></p>`,
      ),
    );
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

  app.get<{ Params: { id: string } }>(
    '/riunioni/:id',
    { config: { access: { action: 'meeting.read', on: 'meeting' } } },
    async (request, reply) => {
      const m = await loadMeeting(request.params.id);
      if (!m) return notFound(reply, 'Seduta non trovata');
      const where = [
        m.place ? escapeHtml(m.place) : '',
        m.onlineUrl ? `<a href="${escapeHtml(m.onlineUrl)}">collegamento online</a>` : '',
      ].filter(Boolean);
      const agenda = m.agendaItems.length
        ? `<ol>${m.agendaItems
            .map(
              (item) =>
                `<li>${escapeHtml(item.title)}${item.isAddendum ? ' <em>(integrazione)</em>' : ''}${item.description ? `<br><small>${escapeHtml(item.description)}</small>` : ''}</li>`,
            )
            .join('')}</ol>`
        : '<p>Ordine del giorno non ancora definito.</p>';
      return reply.type('text/html; charset=utf-8').send(
        page(
          `${m.body.name} – ${formatDateTime(m.startsAt.toISOString(), 'it')}`,
          `<h1>${escapeHtml(m.body.name)}</h1>
<p><strong>${escapeHtml(formatDateTime(m.startsAt.toISOString(), 'it'))}</strong>${where.length ? `<br>${where.join('<br>')}` : ''}</p>
<p>Stato: ${escapeHtml(MEETING_STATUS[m.status] ?? m.status)}${m.status === 'cancelled' && m.cancellationReason ? ` (${escapeHtml(m.cancellationReason)})` : ''}${m.revision > 0 ? ` · aggiornamento n. ${m.revision}` : ''}</p>
<h2>Ordine del giorno</h2>${agenda}
<h2>Verbale</h2><p>${m.verbale ? escapeHtml(VERBALE_STATUS[m.verbale.status] ?? m.verbale.status) : 'non ancora caricato'} – <a href="/riunioni/${m.id}/verbale">dettagli</a></p>`,
        ),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/riunioni/:id/verbale',
    { config: { access: { action: 'meeting.read', on: 'meeting' } } },
    async (request, reply) => {
      const m = await loadMeeting(request.params.id);
      if (!m) return notFound(reply, 'Seduta non trovata');
      const v = m.verbale;
      const body = v
        ? `<p>Stato: ${escapeHtml(VERBALE_STATUS[v.status] ?? v.status)}. Termine: ${escapeHtml(civilDate(v.dueDate))}.</p>${v.documentId ? `<p><a href="/api/v1/meetings/${m.id}/minutes/file">Scarica il verbale</a></p>` : ''}`
        : '<p>Il verbale non è ancora stato richiesto o caricato.</p>';
      return reply.type('text/html; charset=utf-8').send(
        page(
          `Verbale – ${m.body.name}`,
          `<h1>Verbale – ${escapeHtml(m.body.name)}</h1><p>Seduta del ${escapeHtml(formatDateTime(m.startsAt.toISOString(), 'it'))} – <a href="/riunioni/${m.id}">torna alla seduta</a></p>${body}
<p><small>Il verbale (PDF, ODT o DOCX, al massimo 10 MB) si carica presso l'Ufficio di Piano.</small></p>`,
        ),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/scadenze/:id',
    { config: { access: { action: 'ambito.read', on: 'deliverable' } } },
    async (request, reply) => {
      const parsed = Id.safeParse(request.params);
      const d = parsed.success
        ? await app.db.deliverable.findUnique({
            where: { id: parsed.data.id },
            include: { events: { orderBy: { at: 'asc' } } },
          })
        : null;
      if (!d) return notFound(reply, 'Scadenza non trovata');
      const title = `${DELIVERABLE_KIND[d.kind] ?? d.kind} ${d.referencePeriod}`;
      const history = d.events
        .map(
          (e) =>
            `<tr><td>${escapeHtml(formatDateTime(e.at.toISOString(), 'it'))}</td><td>${escapeHtml(EVENT[e.kind] ?? e.kind)}</td><td>${escapeHtml(e.note ?? '')}</td></tr>`,
        )
        .join('');
      return reply.type('text/html; charset=utf-8').send(
        page(
          title,
          `<h1>${escapeHtml(title)}</h1>
<p>Fase: ${escapeHtml(STAGE[d.stage] ?? d.stage)} · stato: ${escapeHtml(DELIVERABLE_STATUS[d.status] ?? d.status)}</p>
<p>Termine: <strong>${escapeHtml(civilDate(d.dueDate))}</strong>${d.escalationLevel > 0 ? ` · livello di sollecito ${d.escalationLevel}` : ''}</p>
<p>Responsabile: ${escapeHtml(d.ownerRole)}</p>
<h2>Storia</h2>${history ? `<table><thead><tr><th>Quando</th><th>Evento</th><th>Nota</th></tr></thead><tbody>${history}</tbody></table>` : '<p>Nessun evento.</p>'}`,
        ),
      );
    },
  );

  /** The body's sessions from a year ago to a year ahead: what a compliance warning asks to look at. */
  app.get<{ Params: { id: string } }>(
    '/organi/:id',
    { config: { access: { action: 'body.read', on: 'body' } } },
    async (request, reply) => {
      const parsed = Id.safeParse(request.params);
      const year = 366 * 86_400_000;
      const body = parsed.success
        ? await app.db.body.findUnique({
            where: { id: parsed.data.id },
            include: {
              meetings: {
                where: { startsAt: { gte: new Date(Date.now() - year), lte: new Date(Date.now() + year) } },
                orderBy: { startsAt: 'asc' },
              },
            },
          })
        : null;
      if (!body) return notFound(reply, 'Organo non trovato');
      const rows = body.meetings
        .map(
          (m) =>
            `<tr><td><a href="/riunioni/${m.id}">${escapeHtml(formatDateTime(m.startsAt.toISOString(), 'it'))}</a></td><td>${escapeHtml(MEETING_STATUS[m.status] ?? m.status)}</td></tr>`,
        )
        .join('');
      return reply.type('text/html; charset=utf-8').send(
        page(
          body.name,
          `<h1>${escapeHtml(body.name)}</h1>
<p>Convoca: ${escapeHtml(body.convenerRole)}</p>
<h2>Sedute dell'ultimo anno e del prossimo</h2>${rows ? `<table><thead><tr><th>Quando</th><th>Stato</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>Nessuna seduta registrata in questo periodo.</p>'}`,
        ),
      );
    },
  );
};
