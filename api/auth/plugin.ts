/**
 * Who is asking, and may they: cookies, security headers, CSRF, rate limits, the signed-in person on every
 * request (`request.viewer`), the access check every route declares (guard.ts), and the sign-in routes.
 *
 * A request is made by a person when it carries either a personal API token (`Authorization: Bearer`) or
 * the session cookie; nothing else identifies anyone (no header naming a user is believed).
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import helmetMiddleware from 'helmet';
import type { Outbox } from '../../notifications/outbox/outbox';
import type { Database } from '../../prisma/client';
import { RequestRejected } from '../errors';
import { findApiToken } from './api-tokens';
import { authorize, requireSignIn } from './guard';
import type { OidcSettings } from './oidc';
import { withPrincipal, type PersonWithRoles } from './principal';
import { signInRoutes } from './routes';
import { SESSION_COOKIE, findSession } from './sessions';

export interface AuthOptions {
  db: Database;
  /** Sends the sign-in e-mails; without it the e-mail link answers 503 (a server built for one test). */
  outbox?: Outbox;
  publicBaseUrl: string;
  /** Whether the development mailbox receives the mail (no SMTP_URL): the sign-in page links to it. */
  devMailbox: boolean;
  oidc?: OidcSettings;
  /** Signs the short-lived OpenID Connect attempt cookie; every API process of one service needs the same. */
  cookieSecret: string;
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The routes as registered (method, url, config.access), in order. */
    routeTable: RouteOptions[];
    /** Sets the security headers on an answer given before routing, which no hook sees (frameworkErrors). */
    applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** The CSRF secret's cookie; cleared at every sign-in so forms of the previous visitor stop working. */
export const CSRF_COOKIE = '_csrf';

/**
 * The security headers of every answer: scripts, styles and fonts only from the service itself. Typed by
 * inference: @fastify/helmet reads helmet's CommonJS declarations and this module its ESM ones, which
 * TypeScript holds to be different types, while the plain object fits both.
 */
function securityHeaders(secure: boolean) {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // bootstrap-italia's stylesheet embeds one font (its video player's icons) as a data: URL.
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    // Secure cookies and HSTS only where the service is reached over https.
    strictTransportSecurity: secure ? undefined : false,
  };
}

const authPlugin: FastifyPluginAsync<AuthOptions> = async (app, options) => {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const secure = options.publicBaseUrl.startsWith('https:');

  await app.register(cookie, { secret: options.cookieSecret });
  const headers = securityHeaders(secure);
  await app.register(helmet, headers);
  // Fastify answers an address it cannot route (frameworkErrors) before any hook runs, helmet's included.
  const applyHeaders = helmetMiddleware(headers);
  app.decorate(
    'applySecurityHeaders',
    (request: FastifyRequest, reply: FastifyReply) =>
      new Promise<void>((resolve, reject) =>
        applyHeaders(request.raw, reply.raw, (error) => (error ? reject(error) : resolve())),
      ),
  );
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure },
    getToken: (request) => {
      const from = (source: unknown) => (source as { _csrf?: unknown } | undefined)?._csrf;
      const token = from(request.body) ?? from(request.query) ?? request.headers['x-csrf-token'];
      return typeof token === 'string' ? token : undefined;
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new RequestRejected(
        429,
        'troppe_richieste',
        `Troppe richieste: riprovare tra ${Math.ceil(context.ttl / 1000)} secondi.`,
      ),
  });
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  // Every route registered from here on, as declared: tests/auth/routes.test.ts walks it.
  const routeTable: RouteOptions[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => void routeTable.push(route));

  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request) => {
    request.viewer = await identify(request);
  });
  app.addHook('onRequest', requireSignIn);
  // Both run on the parsed body but before its validation: a request that may not pass learns nothing
  // about what a valid one looks like. On failure csrfProtection sends the error (worded in api/errors.ts).
  app.addHook('preValidation', (request, reply, done) =>
    needsCsrfCheck(request) ? app.csrfProtection(request, reply, done) : done(),
  );
  app.addHook('preValidation', authorize(db));

  await app.register(signInRoutes, { ...options, secure, now });

  /** The person behind the request's token or session cookie, with their roles; null when none. */
  async function identify(request: FastifyRequest) {
    const at = now();
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      const token = await findApiToken(db, bearer, at);
      if (!token) {
        throw new RequestRejected(401, 'token_non_valido', 'Token API non valido o revocato.');
      }
      return viewerOf(token, token.name, null);
    }
    const cookieValue = request.cookies[SESSION_COOKIE];
    if (!cookieValue) return null;
    const session = await findSession(db, cookieValue, at);
    return session && viewerOf(session, null, session.id);
  }

  function viewerOf(
    row: { personId: string; person: PersonWithRoles },
    tokenName: string | null,
    sessionId: string | null,
  ) {
    return { personId: row.personId, ...withPrincipal(row.person), tokenName, sessionId };
  }
};

/** Unsafe requests carried by a browser's cookies must prove they come from our own pages. */
function needsCsrfCheck(request: FastifyRequest): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
  if (request.viewer?.tokenName) return false;
  return request.cookies[SESSION_COOKIE] !== undefined || request.routeOptions.config?.csrf === true;
}

export default fp(authPlugin, { name: 'auth' });
