/**
 * The answer page behind the links in convocations: GET shows the meeting and a form, POST stores the answer.
 *
 * A GET never changes anything, even with ?scelta=presente: mail security gateways (Microsoft Safe Links,
 * Proofpoint, ...) open every link in a message to scan it, and a GET that answered would answer for the
 * mayor. The link preselects the choice, so answering is one click on "Invia". Server-rendered, no JavaScript.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { formatDateTime } from '../format';
import { escapeHtml, page } from '../html';
import { AnswerForm, WORD_TO_CHOICE, lookupToken, recordAnswer, type Lookup } from './answers';
import type { AnswersDb } from './db';
import { CHOICE_WORDS, type AnswerChoice } from './tokens';

export interface AnswerPagesOptions {
  db: AnswersDb;
  now?: () => Date;
  /** Called after an answer is stored, e.g. to signal the meeting workflow; its failure does not undo the answer. */
  onAnswer?: (notice: { meetingId: string; personId: string; answer: AnswerChoice }) => Promise<void>;
}

type Open = Extract<Lookup, { state: 'open' }>['invitation'];

const LABELS: Record<AnswerChoice, string> = {
  present: 'Sarò presente <small>/ I will attend</small>',
  absent: 'Sarò assente <small>/ I will not attend</small>',
  delegate: 'Invierò un delegato <small>/ I will send a delegate</small>',
};

/** The meeting, and (unless the answer was just recorded) the request to answer. */
function meetingFacts(invitation: Open, askForAnswer = true): string {
  const m = invitation.meeting;
  return `<h1>${escapeHtml(m.body.name)}</h1>
<p><strong>${escapeHtml(formatDateTime(m.startsAt.toISOString(), 'it'))}</strong>${m.place ? `<br>${escapeHtml(m.place)}` : ''}${m.onlineUrl ? `<br><a href="${escapeHtml(m.onlineUrl)}">Collegamento online</a>` : ''}</p>
${askForAnswer ? `<p>Gentile ${escapeHtml(invitation.person.fullName)}, ci comunichi la sua partecipazione. <small>Please tell us whether you will attend.</small></p>` : ''}`;
}

function form(
  token: string,
  chosen: AnswerChoice | null,
  values: { name?: string; email?: string },
  errors: Record<string, string>,
): string {
  const radios = (Object.keys(LABELS) as AnswerChoice[])
    .map(
      (choice) =>
        `<label><input type="radio" name="scelta" value="${CHOICE_WORDS[choice]}"${chosen === choice ? ' checked' : ''} required> ${LABELS[choice]}</label>`,
    )
    .join('');
  const error = (field: string) =>
    errors[field] ? `<span class="error" id="${field}-errore">${escapeHtml(errors[field])}</span>` : '';
  // A field in error says so to screen readers and points at its message.
  const invalid = (field: string) =>
    errors[field] ? ` aria-invalid="true" aria-describedby="${field}-errore"` : '';
  return `<form method="post" action="/risposta/${escapeHtml(token)}">
<fieldset${invalid('scelta')}><legend>La sua risposta</legend>${radios}${error('scelta')}</fieldset>
<fieldset><legend>Se invia un delegato <small>/ if you send a delegate</small></legend>
<label>Nome e cognome del delegato<br><input type="text" name="nome_delegato" value="${escapeHtml(values.name)}" autocomplete="name"${invalid('nome_delegato')}></label>${error('nome_delegato')}
<label>E-mail del delegato<br><input type="email" name="email_delegato" value="${escapeHtml(values.email)}" autocomplete="email"${invalid('email_delegato')}></label>${error('email_delegato')}
</fieldset>
<p><button type="submit">Invia la risposta <small>/ Send</small></button></p></form>`;
}

function currentAnswer(invitation: Open): string {
  if (!invitation.answer) return '';
  const choice = invitation.answer as AnswerChoice;
  const delegate =
    choice === 'delegate'
      ? `: ${escapeHtml(invitation.delegateName)} (${escapeHtml(invitation.delegateEmail)})`
      : '';
  return `<p class="banner">Risposta registrata / recorded answer: <strong>${LABELS[choice]}</strong>${delegate}. Può cambiarla qui sotto.</p>`;
}

/** The confirmation after an answer (what is stored now, and how to change it). */
function recorded(invitation: Open, token: string): string {
  const answer = invitation.answer as AnswerChoice;
  const delegate =
    answer === 'delegate'
      ? ` – ${escapeHtml(invitation.delegateName)} (${escapeHtml(invitation.delegateEmail)})`
      : '';
  return page(
    'Risposta registrata',
    `${meetingFacts(invitation, false)}<p class="banner" role="status"><strong>Grazie, risposta registrata:</strong> ${LABELS[answer]}${delegate}.</p>
<p>Se cambia idea può rispondere di nuovo dallo stesso collegamento. <small>Thank you, your answer is recorded; you can change it from the same link.</small></p>
<p><a href="/risposta/${escapeHtml(token)}">Modifica la risposta / change the answer</a></p>`,
  );
}

const NOT_FOUND = page(
  'Collegamento non valido',
  '<h1>Collegamento non valido</h1><p>Il collegamento non è valido o è incompleto: lo copi per intero dal messaggio ricevuto, oppure contatti l’Ufficio di Piano.</p><p><small>This link is not valid.</small></p>',
);
const EXPIRED = page(
  'Collegamento scaduto',
  '<h1>Collegamento scaduto</h1><p>La seduta si è già svolta: non è più possibile rispondere da questo collegamento.</p><p><small>This link has expired: the meeting has taken place.</small></p>',
);

export const answerPagesPlugin: FastifyPluginAsync<AnswerPagesOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  // Encapsulated: registers the form parser only if the application has not already done it.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  async function open(token: string, reply: import('fastify').FastifyReply): Promise<Open | null> {
    const found = await lookupToken(options.db, token, now());
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer');
    if (found.state === 'unknown') {
      reply.code(404).send(NOT_FOUND);
      return null;
    }
    if (found.state === 'expired') {
      reply.code(410).send(EXPIRED);
      return null;
    }
    return found.invitation;
  }

  app.get<{ Params: { token: string }; Querystring: { scelta?: string; registrata?: string } }>(
    '/risposta/:token',
    // The token in the path is the credential: whoever holds the convocation may answer it.
    { config: { access: 'public' } },
    async (request, reply) => {
      const invitation = await open(request.params.token, reply);
      if (!invitation) return reply;
      if (request.query.registrata !== undefined && invitation.answer)
        return recorded(invitation, request.params.token);
      const word = request.query.scelta as keyof typeof WORD_TO_CHOICE | undefined;
      const chosen = (word && WORD_TO_CHOICE[word]) || (invitation.answer as AnswerChoice | null);
      return page(
        'Risposta alla convocazione',
        `${meetingFacts(invitation)}${currentAnswer(invitation)}${form(request.params.token, chosen, { name: invitation.delegateName ?? '', email: invitation.delegateEmail ?? '' }, {})}`,
      );
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/risposta/:token',
    { config: { access: 'public' } },
    async (request, reply) => {
      const invitation = await open(request.params.token, reply);
      if (!invitation) return reply;
      const parsed = AnswerForm.safeParse(request.body ?? {});
      if (!parsed.success) {
        const errors = Object.fromEntries(
          parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'scelta'), issue.message]),
        );
        const body = (request.body ?? {}) as Record<string, string>;
        const word = body.scelta as keyof typeof WORD_TO_CHOICE | undefined;
        reply.code(400);
        return page(
          'Risposta non valida',
          `${meetingFacts(invitation)}<p class="error" role="alert">La risposta non è stata registrata: correggere i campi indicati. <small>Not saved: please correct the fields.</small></p>${form(request.params.token, (word && WORD_TO_CHOICE[word]) || null, { name: body.nome_delegato, email: body.email_delegato }, errors)}`,
        );
      }
      const saved = await recordAnswer(options.db, invitation.id, parsed.data, now());
      const answer = saved.answer as AnswerChoice;
      if (options.onAnswer) {
        await options
          .onAnswer({ meetingId: saved.meetingId, personId: saved.personId, answer })
          .catch((error: unknown) => {
            request.log.warn(
              { err: error, invitationId: saved.id },
              'answer stored, notification of the workflow failed',
            );
          });
      }
      // Post/Redirect/Get: the confirmation is a page of its own, so reloading it sends nothing again.
      return reply.code(303).header('location', `/risposta/${request.params.token}?registrata`).send();
    },
  );
};

export default answerPagesPlugin;
