/**
 * The sign-in pages (/accesso...), sign-out (/esci) and, for signed-in people, who they are and their API
 * tokens (/api/v1/me, /api/v1/tokens). Every outcome of a sign-in is audited: links asked for, sign-ins,
 * failures with their reason (never the address typed, which may be nobody's), sign-outs.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../prisma/client';
import { RequestRejected } from '../errors';
import { districtName } from '../layout/ambito';
import { NewToken, createApiToken, listApiTokens, revokeApiToken } from './api-tokens';
import type { AuthOptions } from './plugin';
import { CSRF_COOKIE } from './plugin';
import {
  consumeSignInLink,
  inspectSignInLink,
  requestSignInLink,
  safeReturnPath,
  type LinkProblem,
} from './email-link';
import { createOidcClient, type OidcAttempt } from './oidc';
import { clearSessionCookie, endAllSessions, endSession, startSession, type SignInMethod } from './sessions';

const VIEWS = 'api/auth/views';
const OIDC_COOKIE = 'oidc_tentativo';

const LinkRequest = z.object({
  email: z.string().trim().max(320),
  ritorno: z.string().max(500).optional(),
});

const LINK_PROBLEMS: Record<LinkProblem, { heading: string; message: string }> = {
  unknown: {
    heading: 'Collegamento non valido',
    message:
      'Il collegamento non corrisponde a nessuna richiesta di accesso: forse è stato copiato solo in parte. Ne chieda uno nuovo.',
  },
  expired: {
    heading: 'Collegamento scaduto',
    message: 'Il collegamento valeva 15 minuti ed è scaduto. Ne chieda uno nuovo: arriva in pochi istanti.',
  },
  used: {
    heading: 'Collegamento già usato',
    message:
      'Il collegamento vale una sola volta ed è già stato usato. Se non è stato lei, avvisi l’Ufficio di Piano; per entrare ne chieda uno nuovo.',
  },
};

export const signInRoutes: FastifyPluginAsync<AuthOptions & { secure: boolean; now: () => Date }> = async (
  app,
  options,
) => {
  const { db, now, secure } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const perAddress = app.createRateLimit({
    max: 3,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      `indirizzo:${String((request.body as { email?: unknown } | undefined)?.email ?? '')
        .trim()
        .toLowerCase()}`,
  });
  const oidc = options.oidc
    ? createOidcClient(options.oidc, `${options.publicBaseUrl.replace(/\/$/, '')}/accesso/oidc/ritorno`)
    : null;

  /** The sign-in form, with what the visitor is told about where the e-mail goes. */
  const signInPage = (
    reply: FastifyReply,
    data: { returnTo: string | null; email?: string; error?: string; signedOut?: boolean },
  ) =>
    reply.status(data.error ? 400 : 200).page(`${VIEWS}/accesso.hbs`, {
      title: 'Accesso',
      returnTo: data.returnTo,
      email: data.email ?? '',
      error: data.error,
      devMailbox: options.devMailbox,
      oidcLabel: options.oidc?.label ?? null,
      uscito: data.signedOut ?? false,
    });

  api.get(
    '/accesso',
    {
      config: { access: 'public' },
      schema: {
        querystring: z.object({ ritorno: z.string().max(500).optional(), uscito: z.string().optional() }),
      },
    },
    async (request, reply) => {
      if (request.viewer) return reply.redirect(safeReturnPath(request.query.ritorno) ?? '/', 303);
      return signInPage(reply, {
        returnTo: safeReturnPath(request.query.ritorno),
        signedOut: request.query.uscito !== undefined,
      });
    },
  );

  api.post(
    '/accesso',
    {
      config: { access: 'public', csrf: true, rateLimit: { max: 30, timeWindow: 60_000 } },
      // A flood for one address is refused before it reaches the database (the limit per client is above).
      preHandler: async (request) => {
        const limit = await perAddress(request);
        if ('isExceeded' in limit && limit.isExceeded) {
          throw new RequestRejected(
            429,
            'troppe_richieste',
            `Troppe richieste per questo indirizzo: riprovare tra ${limit.ttlInSeconds} secondi.`,
          );
        }
      },
      schema: { body: LinkRequest },
    },
    async (request, reply) => {
      const returnTo = safeReturnPath(request.body.ritorno);
      const email = request.body.email;
      if (!z.email().safeParse(email).success) {
        return signInPage(reply, {
          returnTo,
          email,
          error: 'Indicare un indirizzo e-mail valido, ad esempio nome@comune.it.',
        });
      }
      if (!options.outbox) {
        throw new RequestRejected(
          503,
          'posta_non_disponibile',
          'L’invio dei messaggi non è configurato su questo server.',
        );
      }
      const { outcome, personId } = await requestSignInLink(
        db,
        {
          outbox: options.outbox,
          baseUrl: options.publicBaseUrl,
          district: (await districtName(db, null)) ?? 'Calendario della governance',
        },
        { email, returnTo, now: now() },
      );
      await audit(
        db,
        personId,
        outcome === 'unknown_address' ? 'auth.sign_in_failed' : 'auth.link_requested',
        {
          method: 'email_link',
          outcome,
        },
      );
      return reply.page(`${VIEWS}/link-inviato.hbs`, {
        title: 'Controlli la posta',
        devMailbox: options.devMailbox,
      });
    },
  );

  api.get(
    '/accesso/link/:link',
    { config: { access: 'public' }, schema: { params: z.object({ link: z.string().max(200) }) } },
    async (request, reply) => {
      const found = await inspectSignInLink(db, request.params.link, now());
      if (!found.ok) return problemPage(reply, found.problem);
      return reply.page(`${VIEWS}/conferma.hbs`, {
        title: 'Conferma l’accesso',
        fullName: found.fullName,
        link: request.params.link,
      });
    },
  );

  api.post(
    '/accesso/link',
    {
      config: { access: 'public', csrf: true, rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: { body: z.object({ link: z.string().max(200) }) },
    },
    async (request, reply) => {
      const used = await consumeSignInLink(db, request.body.link, now());
      if (!used.ok) {
        await audit(db, null, 'auth.sign_in_failed', { method: 'email_link', reason: used.problem });
        return problemPage(reply, used.problem);
      }
      await signIn(reply, used.personId, 'email_link');
      return reply.redirect(safeReturnPath(used.returnTo) ?? '/', 303);
    },
  );

  if (oidc) {
    const attemptCookie = {
      path: '/accesso/oidc',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      signed: true,
    } as const;

    api.get(
      '/accesso/oidc',
      {
        config: { access: 'public' },
        schema: { querystring: z.object({ ritorno: z.string().max(500).optional() }) },
      },
      async (request, reply) => {
        const { url, attempt } = await oidc.begin(safeReturnPath(request.query.ritorno));
        reply.setCookie(OIDC_COOKIE, JSON.stringify(attempt), { ...attemptCookie, maxAge: 600 });
        return reply.redirect(url, 303);
      },
    );

    // The provider's answer is checked whatever its parameters; the query is not validated here.
    app.get('/accesso/oidc/ritorno', { config: { access: 'public' } }, async (request, reply) => {
      const attempt = attemptOf(request);
      reply.clearCookie(OIDC_COOKIE, { path: attemptCookie.path });
      const outcome = attempt
        ? await oidc.complete(db, new URL(request.url, options.publicBaseUrl), attempt)
        : ({ ok: false, reason: 'rejected', detail: 'no attempt cookie' } as const);
      if (!outcome.ok) {
        await audit(db, null, 'auth.sign_in_failed', {
          method: 'oidc',
          reason: outcome.reason,
          detail: outcome.detail,
        });
        return outcome.reason === 'unknown_identity'
          ? reply.status(403).page(`${VIEWS}/problema.hbs`, {
              title: 'Identità non registrata',
              message:
                'L’identità con cui è entrato non corrisponde a nessuna persona registrata nel calendario. Chieda all’Ufficio di Piano di registrarla con lo stesso indirizzo e-mail.',
            })
          : reply.status(400).page(`${VIEWS}/problema.hbs`, {
              title: 'Accesso non riuscito',
              message:
                'La risposta del sistema di identità non è valida o è scaduta (ad esempio dopo molti minuti o da un’altra finestra). Riprovi dalla pagina di accesso.',
            });
      }
      await signIn(reply, outcome.personId, 'oidc');
      return reply.redirect(safeReturnPath(attempt?.returnTo) ?? '/', 303);
    });

    function attemptOf(request: FastifyRequest): OidcAttempt | null {
      const raw = request.cookies[OIDC_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      if (!unsigned?.valid || !unsigned.value) return null;
      try {
        return JSON.parse(unsigned.value) as OidcAttempt;
      } catch {
        return null;
      }
    }
  }

  api.post('/esci', { config: { access: 'signed-in' } }, async (request, reply) => {
    const viewer = request.viewer!;
    if (viewer.sessionId) await endSession(db, viewer.sessionId, now());
    await audit(db, viewer.personId, 'auth.signed_out', { everywhere: false });
    clearSessionCookie(reply);
    return reply.redirect('/accesso?uscito=1', 303);
  });

  api.post('/esci/ovunque', { config: { access: 'signed-in' } }, async (request, reply) => {
    const viewer = request.viewer!;
    const ended = await endAllSessions(db, viewer.personId, now());
    await audit(db, viewer.personId, 'auth.signed_out', { everywhere: true, sessions: ended });
    clearSessionCookie(reply);
    return reply.redirect('/accesso?uscito=1', 303);
  });

  // A script in a signed-in browser reads its CSRF token here (same-origin only: no other site can read it).
  api.get('/api/v1/me', { config: { access: 'signed-in' } }, async (request, reply) => {
    const { personId, fullName, email, principal, tokenName } = request.viewer!;
    return {
      persona: { id: personId, nome: fullName, email },
      ruoli: principal,
      token: tokenName,
      csrfToken: tokenName ? null : reply.generateCsrf(),
    };
  });

  api.get('/api/v1/tokens', { config: { access: 'signed-in' } }, async (request) => ({
    tokens: await listApiTokens(db, request.viewer!.personId),
  }));

  api.post(
    '/api/v1/tokens',
    { config: { access: 'signed-in' }, schema: { body: NewToken } },
    async (request, reply) => {
      const created = await createApiToken(db, request.viewer!.personId, request.body.nome);
      return reply.status(201).send({
        ...created,
        avviso: 'Copiare ora il token: non sarà più mostrato. Chi lo possiede agisce con i suoi permessi.',
      });
    },
  );

  api.delete(
    '/api/v1/tokens/:id',
    { config: { access: 'signed-in' }, schema: { params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      if (!(await revokeApiToken(db, request.viewer!.personId, request.params.id, now()))) {
        throw new RequestRejected(
          404,
          'token_sconosciuto',
          'Nessun token attivo con questo identificativo tra i suoi.',
        );
      }
      return reply.status(204).send();
    },
  );

  /** A new session (a new id, a new CSRF secret), audited. */
  async function signIn(reply: FastifyReply, personId: string, method: SignInMethod): Promise<void> {
    await startSession(db, reply, personId, method, { secure });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    await audit(db, personId, 'auth.signed_in', { method });
  }

  function problemPage(reply: FastifyReply, problem: LinkProblem) {
    const { heading, message } = LINK_PROBLEMS[problem];
    return reply
      .status(problem === 'unknown' ? 404 : 410)
      .page(`${VIEWS}/problema.hbs`, { title: heading, message });
  }
};

async function audit(db: Database, personId: string | null, action: string, data: Record<string, unknown>) {
  await db.auditEvent.create({
    data: {
      actor: personId ? `person:${personId}` : 'anonimo',
      action,
      entity: 'person',
      entityId: personId ?? '',
      data: data as object,
    },
  });
}
