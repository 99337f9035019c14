/**
 * What keeps the HTTP server standing under more than it can take:
 *
 * - a saturated event loop (or a heap near its end) answers 503 with `Retry-After` at once, instead of
 *   queueing requests without bound until every client times out (@fastify/under-pressure samples the
 *   loop; a request arriving while the last sample was over the threshold is turned away);
 * - every route has an explicit body limit: JSON and form bodies of at most 1 MiB (the largest legitimate
 *   one, a meeting with 30 agenda points, is far smaller); verbali travel as multipart, whose own limits
 *   (10 MB, one file) are set by the meeting routes;
 * - a character Postgres cannot store, anywhere in the path, query or body, is refused with 400 before any
 *   route sees it, or it would surface as a 500 from whichever query met it first (the fuzzer found three
 *   such routes), and no legitimate input contains one: NUL, which text refuses, and half of a UTF-16
 *   surrogate pair, which a JSON escape (`"\ud800"`) can carry, jsonb refuses, and text would silently
 *   turn into U+FFFD.
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

/** Why Postgres cannot store `text` as it is, or null when it can. */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'Contiene un carattere non ammesso (NUL).';
  if (!text.isWellFormed())
    return 'Contiene un carattere non valido (metà di una coppia di surrogati UTF-16).';
  return null;
}

/** The first field whose value (or key) Postgres cannot store, and why; null when there is none. */
function unstorableField(value: unknown, name: string): { field: string; message: string } | null {
  if (typeof value === 'string') {
    const message = unstorable(value);
    return message ? { field: name, message } : null;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    const path = name ? `${name}.${key}` : key;
    const message = unstorable(key);
    if (message) return { field: path, message };
    const found = unstorableField(inner, path);
    if (found) return found;
  }
  return null;
}

const hardening: FastifyPluginAsync = async (app) => {
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= MAX_BODY_BYTES;
  });
  app.addHook('preValidation', async (request) => {
    const found =
      unstorableField(request.params, '') ??
      unstorableField(request.query, '') ??
      unstorableField(request.body, '');
    if (found !== null) {
      const { field, message } = found;
      throw new RequestRejected(400, 'carattere_non_ammesso', `Richiesta non valida: ${field} ${message}`, [
        found,
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
