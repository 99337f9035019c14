/**
 * The answer page behind the links in convocations: GET shows the meeting and a form, POST stores the answer.
 *
 * A GET never changes anything, even with ?scelta=presente: mail security gateways (Microsoft Safe Links,
 * Proofpoint, ...) open every link in a message to scan it, and a GET that answered would answer for the
 * mayor. The link preselects the choice, so answering is one click on "Invia". Server-rendered in the pages'
 * layout (api/layout, which must be registered first), no JavaScript.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { RequestRejected } from '../../api/errors';
import { readClock, type Clock } from '../../domain/index';
import { fieldErrors, formValues } from '../../api/layout/forms';
import { AnswerForm, WORD_TO_CHOICE, lookupToken, type Lookup } from './answers';
import type { Answering } from './answering';
import type { AnswersDb } from './db';
import { CHOICE_WORDS, type AnswerChoice } from './tokens';

export interface AnswerPagesOptions {
  db: AnswersDb;
  /** Records the answer: the same operation Le mie riunioni uses (answering.ts). */
  answering: Answering;
  /** The current instant; tests, and an API beside a time-skipping server, pass that server's clock. */
  now?: Clock;
}

type Open = Extract<Lookup, { state: 'open' }>['invitation'];

const VIEW = 'notifications/answers/views/risposta.hbs';

const LABELS: Record<AnswerChoice, { label: string; english: string }> = {
  present: { label: 'Sarò presente', english: 'I will attend' },
  absent: { label: 'Sarò assente', english: 'I will not attend' },
  delegate: { label: 'Invierò un delegato', english: 'I will send a delegate' },
};

/** The stored answer as the page states it, with the delegate when there is one. */
function answerOf(invitation: Open) {
  if (!invitation.answer) return null;
  const choice = invitation.answer as AnswerChoice;
  return {
    ...LABELS[choice],
    delegate: choice === 'delegate' ? `${invitation.delegateName} (${invitation.delegateEmail})` : null,
  };
}

function formData(
  invitation: Open,
  token: string,
  chosen: AnswerChoice | null,
  values: { nome_delegato?: string; email_delegato?: string },
  errors: Record<string, string> | null,
) {
  return {
    title: errors ? 'Risposta non valida' : 'Risposta alla convocazione',
    meeting: invitation.meeting,
    person: invitation.person.fullName,
    token,
    current: errors ? null : answerOf(invitation),
    choices: (Object.keys(LABELS) as AnswerChoice[]).map((choice) => ({
      word: CHOICE_WORDS[choice],
      ...LABELS[choice],
      checked: chosen === choice,
    })),
    values,
    errors,
  };
}

export const answerPagesPlugin: FastifyPluginAsync<AnswerPagesOptions> = async (app, options) => {
  const now = async () => new Date(await readClock(options.now));
  // Encapsulated: registers the form parser only if the application has not already done it.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  async function open(token: string, reply: import('fastify').FastifyReply): Promise<Open | null> {
    const found = await lookupToken(options.db, token, await now());
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer');
    if (found.state === 'unknown') {
      await reply.errorPage(
        404,
        'Collegamento non valido',
        'Il collegamento non è valido o è incompleto: lo copi per intero dal messaggio ricevuto, oppure contatti l’Ufficio di Piano.',
      );
      return null;
    }
    if (found.state === 'expired') {
      await reply.errorPage(
        410,
        'Collegamento scaduto',
        'La seduta si è già svolta: non è più possibile rispondere da questo collegamento.',
      );
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
      const token = request.params.token;
      if (request.query.registrata !== undefined && invitation.answer)
        return reply.page(VIEW, {
          title: 'Risposta registrata',
          meeting: invitation.meeting,
          token,
          recorded: true,
          answer: answerOf(invitation),
        });
      const word = request.query.scelta as keyof typeof WORD_TO_CHOICE | undefined;
      const chosen = (word && WORD_TO_CHOICE[word]) || (invitation.answer as AnswerChoice | null);
      const values = {
        nome_delegato: invitation.delegateName ?? '',
        email_delegato: invitation.delegateEmail ?? '',
      };
      return reply.page(VIEW, formData(invitation, token, chosen, values, null));
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/risposta/:token',
    { config: { access: 'public' } },
    async (request, reply) => {
      const invitation = await open(request.params.token, reply);
      if (!invitation) return reply;
      const parsed = AnswerForm.safeParse(formValues(request.body));
      if (!parsed.success) {
        const values = formValues(request.body);
        const word = values.scelta as keyof typeof WORD_TO_CHOICE | undefined;
        const chosen = (word && WORD_TO_CHOICE[word]) || null;
        reply.code(400);
        return reply.page(
          VIEW,
          formData(invitation, request.params.token, chosen, values, fieldErrors(parsed.error.issues)),
        );
      }
      try {
        await options.answering.answer(
          {
            meetingId: invitation.meetingId,
            personId: invitation.personId,
            actor: `answer-link:${invitation.id}`,
          },
          parsed.data,
          await now(),
        );
      } catch (error) {
        if (!(error instanceof RequestRejected) || error.statusCode >= 500) throw error;
        const values = formValues(request.body);
        const errors = Object.fromEntries(error.fields.map((f) => [f.field, f.message]));
        reply.code(error.statusCode);
        return reply.page(
          VIEW,
          formData(
            invitation,
            request.params.token,
            parsed.data ? WORD_TO_CHOICE[parsed.data.scelta] : null,
            values,
            {
              ...errors,
              ...(error.fields.length === 0 ? { scelta: error.message } : {}),
            },
          ),
        );
      }
      // Post/Redirect/Get: the confirmation is a page of its own, so reloading it sends nothing again.
      return reply.code(303).header('location', `/risposta/${request.params.token}?registrata`).send();
    },
  );
};

export default answerPagesPlugin;
