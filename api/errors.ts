/**
 * One shape for every error the API returns, so pages and clients can show it field by field:
 * `{ error: <code>, message: <Italian sentence>, fields?: [{ field, message }] }`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  FST_ERR_MAX_PARAM_LENGTH: {
    field: 'url',
    message: 'parametro troppo lungo',
    sentence: "Un parametro nell'indirizzo della richiesta è troppo lungo.",
  },
};

/** The Italian answer to a request Fastify could not read, or null for any other error. */
function unreadableRequest(error: FastifyError) {
  const known = FRAMEWORK_ERRORS[error.code];
  // A JSON body that does not parse arrives as a SyntaxError from the parser (also for __proto__ keys).
  const unparsable = error instanceof SyntaxError && error.statusCode === 400;
  if (!known && !unparsable) return null;
  const { field, message, sentence } = known ?? FRAMEWORK_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY!;
  return {
    status: error.statusCode ?? 400,
    body: { error: 'richiesta_non_valida', message: sentence, fields: [{ field, message }] },
  };
}

/** A browser asking for a page, not the JSON API: it gets the layout's error page instead of JSON. */
const wantsPage = (request: FastifyRequest) =>
  !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');

function pageRequest(request: FastifyRequest, reply: FastifyReply): boolean {
  return wantsPage(request) && typeof reply.errorPage === 'function';
}

/**
 * For Fastify's `frameworkErrors` option: a URL the router cannot decode or a path parameter over the
 * length limit never reaches the error handler, and would otherwise be answered in English. A browser gets
 * the error page; its reply has no decorators yet and no hook runs for it, so the page and the security
 * headers come from the instance (`pages`).
 */
export function answerUnroutable(
  pages: Pick<FastifyInstance, 'errorPageHtml' | 'applySecurityHeaders'>,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (error, request, reply) => {
    const answer = unreadableRequest(error) ?? {
      status: 400,
      body: { error: 'richiesta_non_valida', message: "L'indirizzo della richiesta non è valido." },
    };
    await pages.applySecurityHeaders(request, reply);
    reply.status(answer.status);
    if (wantsPage(request))
      await reply
        .type('text/html; charset=utf-8')
        .send(await pages.errorPageHtml(request, 'Indirizzo non valido', answer.body.message));
    else await reply.send(answer.body);
  };
}

const CSRF_REFUSED =
  'Il modulo è scaduto o non proviene da questo servizio: ricaricare la pagina e inviarlo di nuovo.';

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return pageRequest(request, reply)
        ? reply.errorPage(503, 'Servizio momentaneamente non disponibile', DATABASE_UNAVAILABLE.message)
        : reply.status(503).send(DATABASE_UNAVAILABLE);
    }
    if (error.code?.startsWith('FST_CSRF_'))
      error = new RequestRejected(403, 'modulo_non_valido', CSRF_REFUSED) as never;
    if (pageRequest(request, reply)) {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'unhandled error');
      return status === 500
        ? reply.errorPage(
            500,
            'Errore del servizio',
            "Si è verificato un errore interno. Riprovi tra qualche minuto; se il problema continua, avvisi l'Ufficio di Piano.",
          )
        : reply.errorPage(status, 'Richiesta non accolta', error.message);
    }
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
    const unreadable = unreadableRequest(error);
    if (unreadable) return reply.status(unreadable.status).send(unreadable.body);
    if (error.statusCode && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send({ error: error.code ?? 'richiesta_non_valida', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: 'errore_interno', message: 'Errore interno del servizio.' });
  });

  app.setNotFoundHandler((request, reply) =>
    pageRequest(request, reply)
      ? reply.errorPage(
          404,
          'Pagina non trovata',
          "L'indirizzo non corrisponde a nessuna pagina. Verifichi di averlo copiato per intero.",
        )
      : reply
          .status(404)
          .send({ error: 'non_trovato', message: `Percorso non trovato: ${request.method} ${request.url}` }),
  );
}
