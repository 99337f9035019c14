/**
 * Builds the HTTP server: one Fastify plugin per capability, each registering its own routes and schemas
 * (Fastify encapsulation), sharing the database client through a decorator.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import '../app/zod-italian';
import type { Config } from '../app/config';
import type { Database } from '../prisma/client';
import { registerErrorHandling } from './errors';
import { hardeningPlugin } from './hardening/plugin';
import { healthRoutes } from './health/routes';
import { bodiesRoutes } from './bodies/routes';
import { calendarRoutes } from './calendar/routes';
import { changesRoutes } from './changes/routes';
import { deliverablesRoutes } from './deliverables/routes';
import { meetingsRoutes } from './meetings/routes';
import { messagesRoutes } from './messages/routes';
import { pagesRoutes } from './pages/routes';
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
}

/** Replaces long opaque path or query segments (answer tokens) with a placeholder. */
export function redactTokens(url: string): string {
  return url.replace(/[A-Za-z0-9_-]{24,}/g, '[token]');
}

export async function buildServer({
  db,
  config,
  governance = null,
  now,
  plugins = [],
}: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
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
  await app.register(healthRoutes);
  await app.register(bodiesRoutes, { prefix: '/api/v1', governance, now });
  await app.register(calendarRoutes, { prefix: '/api/v1' });
  // Rule, meeting and deliverable changes are forwarded to Temporal; with governance null they answer 503/202.
  await app.register(meetingsRoutes, { prefix: '/api/v1', governance, now });
  await app.register(deliverablesRoutes, { prefix: '/api/v1', governance, now });
  await app.register(messagesRoutes, { prefix: '/api/v1' });
  await app.register(changesRoutes, { prefix: '/api/v1' });
  await app.register(pagesRoutes);
  for (const plugin of plugins) await app.register(plugin);
  return app;
}
