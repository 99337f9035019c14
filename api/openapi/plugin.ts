/**
 * The API described from what it enforces: `GET /api/v1/openapi.json` is built by @fastify/swagger from the
 * zod schemas the routes validate with (fastify-type-provider-zod's jsonSchemaTransform), plus what every
 * route shares: who may call it (`config.access`: a session cookie or a personal API token) and the error
 * body. `GET /api/docs` shows the same document as a page, rendered on the server through the layout.
 *
 * Registered before the routes (api/server.ts), because swagger learns the routes as they are added.
 */
import swagger from '@fastify/swagger';
import type { FastifyPluginAsync, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { RouteAccess } from '../auth/access';
import { SESSION_COOKIE } from '../auth/sessions';
import { referenceOf, type OpenApiDocument } from './reference';

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/api/docs';

/** The body of every 4xx and 5xx (api/errors.ts), in JSON Schema. */
export const ERROR_BODY = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Codice stabile, per i programmi (es. richiesta_non_valida)' },
    message: { type: 'string', description: 'Frase in italiano, per le persone' },
    fields: {
      type: 'array',
      description: 'I campi da correggere, uno per problema',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ERROR_BODY } },
});

/** What can go wrong on any route, by who may call it. */
function errorResponses(access: RouteAccess | undefined) {
  return {
    400: errorResponse('Richiesta non valida: `fields` dice quali campi correggere'),
    ...(access === 'public'
      ? {}
      : {
          401: errorResponse('Accesso richiesto: sessione o token API mancante o scaduto'),
          403: errorResponse('La persona non può compiere questa azione'),
        }),
    404: errorResponse('Non trovato'),
    413: errorResponse('Corpo della richiesta troppo grande'),
    503: errorResponse('Servizio momentaneamente non disponibile (sovraccarico o database): riprovare'),
  };
}

function describeAccess(access: RouteAccess | undefined): string {
  if (access === 'public') return 'Accesso: pubblico.';
  if (access === 'signed-in' || access === undefined) return 'Accesso: persone autenticate.';
  return `Accesso: chi può «${access.action}» (${access.on}).`;
}

/** Only /api/v1 goes in the document; each operation says who may call it and how it fails. */
const transform: typeof jsonSchemaTransform = (input) => {
  if (!input.url.startsWith('/api/v1/') || input.route.method === 'HEAD') {
    return { schema: { ...input.schema, hide: true }, url: input.url };
  }
  const { schema, url } = jsonSchemaTransform(input);
  const route = input.route as RouteOptions;
  const access = route.config?.access;
  const described = (schema ?? {}) as FastifySchema & {
    response?: object;
    security?: object[];
    description?: string;
  };
  return {
    url,
    schema: {
      ...described,
      description: [described.description, describeAccess(access)].filter(Boolean).join(' '),
      tags: [url.split('/')[3] ?? 'api'],
      ...(access === 'public' ? { security: [] } : {}),
      response: { ...errorResponses(access), ...described.response },
    },
  };
};

const openApi: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Governance cycles — API',
        version: '1',
        description:
          "Calendario della governance dell'Ambito: organi, sedute, verbali, scadenze del Piano di Zona. " +
          'Ogni richiesta è validata; un errore risponde con `{ error, message, fields }` in italiano.',
      },
      components: {
        securitySchemes: {
          sessione: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: "Cookie di sessione del browser, dopo l'accesso (/accesso)",
          },
          tokenApi: {
            type: 'http',
            scheme: 'bearer',
            description: 'Token API personale (creato con POST /api/v1/tokens), in `Authorization: Bearer …`',
          },
        },
      },
      security: [{ sessione: [] }, { tokenApi: [] }],
    },
    transform,
  });

  app.get(
    OPENAPI_PATH,
    {
      config: { access: 'signed-in' },
      schema: { description: 'Questo documento: la descrizione OpenAPI di ogni percorso /api/v1.' },
    },
    async () => app.swagger(),
  );

  app.get(DOCS_PATH, { config: { access: 'signed-in' } }, (_request, reply) =>
    reply.page('api/openapi/views/docs.hbs', {
      title: "Riferimento dell'API",
      sections: referenceOf(app.swagger() as OpenApiDocument),
    }),
  );
};

export const openApiPlugin = fp(openApi, { name: 'openapi' });
