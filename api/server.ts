/**
 * Builds the HTTP server: one Fastify plugin per capability, each registering its own routes and schemas
 * (Fastify encapsulation), sharing the database client through a decorator.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import '../app/zod-italian';
import type { Config } from '../app/config';
import type { Database } from '../prisma/client';
import { randomBytes } from 'node:crypto';
import type { Answering } from '../notifications/answers/answering';
import type { Outbox } from '../notifications/outbox/outbox';
import authPlugin from './auth/plugin';
import type { OidcSettings } from './auth/oidc';
import { answerUnroutable, registerErrorHandling } from './errors';
import { hardeningPlugin } from './hardening/plugin';
import { openApiPlugin } from './openapi/plugin';
import { healthRoutes } from './health/routes';
import { homeRoutes } from './home/routes';
import layoutPlugin from './layout/plugin';
import { bodyPages } from './bodies/pages';
import { bodiesRoutes } from './bodies/routes';
import { calendarPages } from './calendar/pages';
import { calendarRoutes } from './calendar/routes';
import { changesRoutes } from './changes/routes';
import { deliverablePages } from './deliverables/pages';
import { deliverablesRoutes } from './deliverables/routes';
import { meetingPages } from './meetings/pages';
import { meetingsRoutes } from './meetings/routes';
import { messagePages } from './messages/pages';
import { messagesRoutes } from './messages/routes';
import { pagesRoutes } from './pages/routes';
import { peoplePages } from './people/pages';
import { peopleRoutes } from './people/routes';
import { staffRoutes } from './staff/routes';
import { reportsRoutes } from '../reports/routes';
import { reportPages } from '../reports/pages';
import { feedsRoutes } from './feeds/routes';
import { profileRoutes } from './profile/routes';
import { myMeetingsRoutes } from './my-meetings/routes';
import type { GovernanceOptions } from './temporal';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: Config;
  }
}

export interface ServerOptions extends Partial<GovernanceOptions> {
  db: Database;
  config: Config;
  /** Capabilities that live outside api/ (mailbox, answer pages...), registered after the core routes. */
  plugins?: FastifyPluginAsync[];
  /** Sends sign-in e-mails; without it the e-mail link sign-in answers 503. */
  outbox?: Outbox;
  /** Records answers to convocations (Le mie riunioni); without it answering there answers 503. */
  answering?: Answering;
  /** Signs short-lived cookies; give every API process of one service the same (npm start derives it). */
  cookieSecret?: string;
}

/** TRUST_PROXY as Fastify takes it: a hop count becomes "the first N hops" (its types take no number). */
function trustedProxies(setting: Config['TRUST_PROXY']) {
  if (setting === undefined) return false;
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}

/** OpenID Connect settings from the configuration, when all three variables are set. */
export function oidcSettings(config: Config): OidcSettings | undefined {
  const { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = config;
  if (!issuer || !clientId || !clientSecret) return undefined;
  return { issuer, clientId, clientSecret, label: config.OIDC_LABEL, trustEmail: config.OIDC_TRUST_EMAIL };
}

/** Replaces long opaque path or query segments (answer tokens) with a placeholder. */
export function redactTokens(url: string): string {
  return url.replace(/[A-Za-z0-9_-]{24,}/g, '[token]');
}

/** "Ufficio di Piano <udp@example.org>" → "udp@example.org". */
function addressOf(mailbox: string): string {
  return /<([^>]+)>/.exec(mailbox)?.[1] ?? mailbox;
}

export async function buildServer({
  db,
  config,
  governance = null,
  now,
  plugins = [],
  outbox,
  answering,
  cookieSecret = randomBytes(32).toString('base64url'),
}: ServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // Behind a proxy, request.ip is the client's (the sign-in limits count per client); see TRUST_PROXY.
    trustProxy: trustedProxies(config.TRUST_PROXY),
    // Called only once requests arrive, when `app` is built.
    frameworkErrors: (error, request, reply) => answerUnroutable(app)(error, request, reply),
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            // Answer tokens travel in URLs: they are credentials, so the request log never shows them.
            serializers: {
              req: (request) => ({ method: request.method, url: redactTokens(request.url) }),
            },
          },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  app.decorate('db', db);
  app.decorate('config', config);
  await app.register(hardeningPlugin);
  await app.register(openApiPlugin);
  // First, so that its hooks see every route registered after it.
  await app.register(authPlugin, {
    db,
    outbox,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    devMailbox: !config.SMTP_URL,
    oidc: oidcSettings(config),
    cookieSecret,
  });

  // Pages of every capability render through the layout's reply.page().
  await app.register(layoutPlugin, { db, feedbackEmail: addressOf(config.MAIL_FROM) });
  await app.register(healthRoutes);
  await app.register(bodiesRoutes, { prefix: '/api/v1', governance, now, latecomers: answering });
  await app.register(calendarRoutes, { prefix: '/api/v1' });
  // Rule, meeting and deliverable changes are forwarded to Temporal; with governance null they answer 503/202.
  await app.register(meetingsRoutes, { prefix: '/api/v1', governance, now });
  await app.register(deliverablesRoutes, { prefix: '/api/v1', governance, now });
  await app.register(messagesRoutes, { prefix: '/api/v1' });
  await app.register(changesRoutes, { prefix: '/api/v1' });
  await app.register(staffRoutes, { prefix: '/api/v1' });
  await app.register(peopleRoutes, { prefix: '/api/v1', latecomers: answering, now });
  await app.register(pagesRoutes);
  await app.register(meetingPages, { governance, now });
  await app.register(deliverablePages, { governance, now });
  await app.register(bodyPages, { governance, now, latecomers: answering });
  await app.register(messagePages);
  await app.register(peoplePages, { latecomers: answering, now });
  await app.register(homeRoutes, { now });
  await app.register(calendarPages, { now });
  await app.register(reportsRoutes, { prefix: '/api/v1', now });
  await app.register(feedsRoutes, { now });
  await app.register(reportPages, { now });
  await app.register(profileRoutes);
  await app.register(myMeetingsRoutes, { answering, now });
  for (const plugin of plugins) await app.register(plugin);
  return app;
}
