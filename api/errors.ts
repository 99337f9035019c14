/**
 * One shape for every error the API returns, so pages and clients can show it field by field:
 * `{ error: <code>, message: <Italian sentence>, fields?: [{ field, message }] }`.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE,
  isDatabaseUnavailable,
} from './hardening/database';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A domain-level rejection of a well-formed request (unknown id, conflicting state...). */
export class RequestRejected extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/**
 * Fastify's own rejections of a request it could not read (before any schema runs), in Italian and naming
 * what is wrong: the body or the header that announced it.
 */
const FRAMEWORK_ERRORS: Record<string, FieldProblem & { sentence: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    field: 'content-type',
    message: 'tipo di contenuto non accettato',
    sentence: 'Tipo di contenuto non accettato: inviare application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    field: 'corpo',
    message: 'troppo grande',
    sentence: 'Il corpo della richiesta supera la dimensione massima consentita.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    field: 'content-length',
    message: 'non corrisponde alla lunghezza del corpo',
    sentence: 'La lunghezza dichiarata (Content-Length) non corrisponde al corpo della richiesta.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    field: 'corpo',
    message: 'vuoto',
    sentence: 'Il corpo della richiesta è vuoto ma il tipo dichiarato è application/json.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    field: 'corpo',
    message: 'JSON non valido',
    sentence: 'Il corpo della richiesta non è JSON valido.',
  },
  FST_ERR_BAD_URL: {
    field: 'url',
    message: 'indirizzo non valido',
    sentence: "L'indirizzo della richiesta non è valido.",
  },
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.flatMap((problem): FieldProblem[] => {
        // An unknown parameter is reported on the object; name the parameter itself.
        const unknownKeys = (problem.params as { keys?: unknown }).keys;
        if (problem.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys)) {
          return unknownKeys.map((key) => ({ field: String(key), message: 'parametro non previsto' }));
        }
        const field = problem.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return [
          {
            field: field || String(error.validationContext ?? 'richiesta'),
            message: problem.message ?? 'valore non valido',
          },
        ];
      });
      return reply.status(400).send({
        error: 'richiesta_non_valida',
        message: `Richiesta non valida: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}`,
        fields,
      });
    }
    if (error instanceof RequestRejected) {
      return reply.status(error.statusCode).send({
        error: error.code,
        message: error.message,
        ...(error.fields.length ? { fields: error.fields } : {}),
      });
    }
    const known = FRAMEWORK_ERRORS[error.code];
    // A JSON body that does not parse arrives as a SyntaxError from the parser (also for __proto__ keys).
    const unreadable = error instanceof SyntaxError && error.statusCode === 400;
    if (known || unreadable) {
      const { field, message, sentence } = known ?? FRAMEWORK_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY!;
      return reply
        .status(error.statusCode ?? 400)
        .send({ error: 'richiesta_non_valida', message: sentence, fields: [{ field, message }] });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send({ error: error.code ?? 'richiesta_non_valida', message: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(DATABASE_UNAVAILABLE);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: 'errore_interno', message: 'Errore interno del servizio.' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'non_trovato', message: `Percorso non trovato: ${request.method} ${request.url}` }),
  );
}
