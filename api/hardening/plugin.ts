/**
 * What keeps the HTTP server standing under more than it can take:
 *
 * - a saturated event loop (or a heap near its end) answers 503 with `Retry-After` at once, instead of
 *   queueing requests without bound until every client times out (@fastify/under-pressure samples the
 *   loop; a request arriving while the last sample was over the threshold is turned away);
 * - every route has an explicit body limit: JSON and form bodies of at most 1 MiB (the largest legitimate
 *   one, a meeting with 30 agenda points, is far smaller); verbali travel as multipart, whose own limits
 *   (10 MB, one file) are set by the meeting routes;
 * - a NUL character anywhere in the path, query or body is refused with 400 before any route sees it:
 *   Postgres cannot store it in text, so it would otherwise surface as a 500 from whichever query met it
 *   first (the fuzzer found two such routes), and no legitimate input contains one.
 *
 * Registered first in api/server.ts, unencapsulated, so its hooks see every route registered after it.
 */
import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import { RequestRejected } from '../errors';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Seconds a client should wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** The name of the first field whose value (or key) contains a NUL character, or null when none does. */
function fieldWithNul(value: unknown, name: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? name : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    const path = name ? `${name}.${key}` : key;
    if (key.includes('\u0000')) return path;
    const found = fieldWithNul(inner, path);
    if (found) return found;
  }
  return null;
}

const hardening: FastifyPluginAsync = async (app) => {
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= MAX_BODY_BYTES;
  });
  app.addHook('preValidation', async (request) => {
    const field =
      fieldWithNul(request.params, '') ?? fieldWithNul(request.query, '') ?? fieldWithNul(request.body, '');
    if (field !== null) {
      const message = 'Contiene un carattere non ammesso (NUL).';
      throw new RequestRejected(400, 'carattere_non_ammesso', `Richiesta non valida: ${field} ${message}`, [
        { field, message },
      ]);
    }
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
