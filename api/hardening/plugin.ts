/**
 * What keeps the HTTP server standing under more than it can take:
 *
 * - a saturated event loop (or a heap near its end) answers 503 with `Retry-After` at once, instead of
 *   queueing requests without bound until every client times out (@fastify/under-pressure samples the
 *   loop; a request arriving while the last sample was over the threshold is turned away);
 * - every route has an explicit body limit: JSON and form bodies of at most 1 MiB (the largest legitimate
 *   one, a meeting with 30 agenda points, is far smaller); verbali travel as multipart, whose own limits
 *   (10 MB, one file) are set by the meeting routes.
 *
 * Registered first in api/server.ts, unencapsulated, so its hooks see every route registered after it.
 */
import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Seconds a client should wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

const hardening: FastifyPluginAsync = async (app) => {
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= MAX_BODY_BYTES;
  });
  await app.register(underPressure, {
    // A loop delayed 2 s on average is saturated; below that a busy machine (start-up, CI) is merely slow.
    maxEventLoopDelay: 2000,
    // Past 1.5 GB of heap the process is close to being killed: shed load before that.
    maxHeapUsedBytes: 1.5 * 1024 ** 3,
    sampleInterval: 500,
    retryAfter: RETRY_AFTER_SECONDS,
    pressureHandler: (_request, reply) => {
      void reply
        .status(503)
        .header('Retry-After', String(RETRY_AFTER_SECONDS))
        .send({
          error: 'servizio_sovraccarico',
          message: `Il servizio è momentaneamente sovraccarico: riprovare tra ${RETRY_AFTER_SECONDS} secondi.`,
        });
    },
  });
};

export const hardeningPlugin = fastifyPlugin(hardening, { name: 'hardening' });
