/**
 * One shape for every error the API returns, so pages and clients can show it field by field:
 * `{ error: <code>, message: <Italian sentence>, fields?: [{ field, message }] }`.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

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
    if (error.statusCode && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send({ error: error.code ?? 'richiesta_non_valida', message: error.message });
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
