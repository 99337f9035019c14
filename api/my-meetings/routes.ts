/**
 * Le mie riunioni, for every signed-in person (where a mayor lands after signing in: GET / sends whoever has
 * no ambito-wide role here):
 * - `GET /mie-riunioni`: their sessions, upcoming and past, as member or as someone's delegate, with their
 *   answer and the approved verbali; `GET /api/v1/my-meetings` is the same list as JSON.
 * - `GET /mie-riunioni/:id`: one session with its agenda documents, the approved verbale and the answer form;
 *   `POST /mie-riunioni/:id/risposta` answers (Post/Redirect/Get; messages next to the fields, what was typed
 *   kept) and `POST /api/v1/my-meetings/:id/answer` does the same for scripts. Both call the operation the
 *   answer page behind the e-mail links calls (notifications/answers/answering.ts).
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readClock, type Clock } from '../../domain/index';
import { AnswerForm } from '../../notifications/answers/answers';
import type { Answering } from '../../notifications/answers/answering';
import { SIGN_IN_PATH } from '../auth/guard';
import { RequestRejected } from '../errors';
import { signedInViewer } from '../../reports/access';
import { submitForm, type FieldErrors } from '../layout/forms';
import { notFound } from '../pages/routes';
import { actorOf } from '../temporal';
import { myMeeting, myMeetings } from './data';

const VIEWS = 'api/my-meetings/views';
const Id = z.object({ id: z.uuid() });
const meetingRead = { access: { action: 'meeting.read', on: 'meeting' } } as const;

export interface MyMeetingsOptions {
  /** Records answers; absent when the service runs without mail (then answering answers 503). */
  answering?: Answering;
  /** The API's clock (buildServer's): which sessions are past, and when an answer was given. */
  now?: Clock;
}

export const myMeetingsRoutes: FastifyPluginAsync<MyMeetingsOptions> = async (app, options) => {
  const db = app.db;
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  const api = app.withTypeProvider<ZodTypeProvider>();

  function answering(): Answering {
    if (!options.answering)
      throw new RequestRejected(
        503,
        'non_disponibile',
        'Le risposte non sono disponibili: posta non avviata.',
      );
    return options.answering;
  }

  /**
   * These routes act for the signed-in person, yet their access (meeting.read on the meeting) is also met by
   * an e-mail link's token (api/auth/guard.ts), which names no person: without one, sign in first.
   */
  const signInFirst = (reply: FastifyReply, meetingId: string) =>
    reply.redirect(`${SIGN_IN_PATH}?ritorno=${encodeURIComponent(`/mie-riunioni/${meetingId}`)}`, 303);

  const answer = async (request: FastifyRequest, meetingId: string, form: AnswerForm) =>
    answering().answer(
      { meetingId, personId: signedInViewer(request).personId, actor: actorOf(request) },
      form,
      new Date(await readClock(options.now)),
    );

  app.get('/mie-riunioni', { config: { access: 'signed-in' } }, async (request, reply) => {
    const lists = await myMeetings(db, request.viewer!.principal, await readClock(options.now));
    return reply.page(`${VIEWS}/mie-riunioni.hbs`, { title: 'Le mie riunioni', ...lists });
  });

  api.get('/api/v1/my-meetings', { config: { access: 'signed-in' } }, async (request) =>
    myMeetings(db, request.viewer!.principal, await readClock(options.now)),
  );

  async function meetingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { values: Record<string, string>; errors: FieldErrors; message: string | null },
  ) {
    const parsed = Id.safeParse(request.params);
    if (parsed.success && !request.viewer) return signInFirst(reply, parsed.data.id);
    const data = parsed.success
      ? await myMeeting(db, request.viewer!.personId, parsed.data.id, await readClock(options.now))
      : null;
    if (!data) return notFound(reply, 'Seduta non trovata');
    const values = form?.values ?? {
      scelta: data.answer
        ? { present: 'presente', absent: 'assente', delegate: 'delegato' }[data.answer.value]
        : '',
      nome_delegato: data.answer?.delegateName ?? '',
      email_delegato: data.answer?.delegateEmail ?? '',
    };
    const done = (request.query as { fatto?: string } | undefined)?.fatto === 'risposta';
    return reply.page(`${VIEWS}/riunione.hbs`, {
      title: `${data.meeting.body} – Le mie riunioni`,
      ...data,
      values,
      errors: form?.errors ?? null,
      message: form?.message ?? null,
      done: done && !form,
    });
  }

  app.get('/mie-riunioni/:id', { config: meetingRead }, (request, reply) => meetingPage(request, reply));

  app.post('/mie-riunioni/:id/risposta', { config: meetingRead }, async (request, reply) => {
    const parsed = Id.safeParse(request.params);
    if (!parsed.success) return notFound(reply, 'Seduta non trovata');
    const { id } = parsed.data;
    if (!request.viewer) return signInFirst(reply, id);
    const outcome = await submitForm(request.body, AnswerForm, (form) => answer(request, id, form));
    if (outcome.ok) return reply.redirect(`/mie-riunioni/${id}?fatto=risposta#risposta`, 303);
    reply.status(outcome.status);
    return meetingPage(request, reply, outcome);
  });

  api.post(
    '/api/v1/my-meetings/:id/answer',
    { schema: { params: Id, body: AnswerForm }, config: meetingRead },
    async (request) => {
      const saved = await answer(request, request.params.id, request.body);
      return {
        risposta: {
          answer: saved.answer,
          delegateName: saved.delegateName,
          delegateEmail: saved.delegateEmail,
          delegatePersonId: saved.delegatePersonId,
          answeredAt: saved.answeredAt?.toISOString() ?? null,
        },
      };
    },
  );
};
