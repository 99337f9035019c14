/**
 * /api/v1/people: the people of an ambito for its Ufficio di Piano. Search, add, edit, replace a
 * placeholder with the real person, and import a spreadsheet (preview, then commit: the same plan,
 * import/plan.ts). The Persone page (pages.ts) calls the same operations.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_IMPORT_BYTES } from './import/read';
import { commitImport, planImport, publicPlan } from './import/plan';
import { templateCsv, templateXlsx } from './import/template';
import { readUploadedSpreadsheet } from './import/upload';
import {
  createPerson,
  listPeople,
  peopleContext,
  type PeopleOptions,
  personOf,
  replacePlaceholder,
  updatePerson,
} from './operations';
import { AmbitoQuery, PeopleQuery, PersonInput, PersonParams } from './schemas';

const manage = { access: { action: 'ambito.manage', on: 'ambito' } } as const;
const TemplateQuery = AmbitoQuery.extend({
  formato: z.enum(['xlsx', 'csv'], { message: 'formato: xlsx o csv' }).default('xlsx'),
}).strict();

export const TEMPLATE_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

export const peopleRoutes: FastifyPluginAsync<PeopleOptions> = async (app, options) => {
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 2, parts: 3 } });
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  api.get('/people', { config: manage, schema: { querystring: PeopleQuery } }, async (request) => {
    const ctx = await peopleContext(db, request, request.query.ambito, options);
    return { people: await listPeople(db, ctx.ambitoId, request.query, ctx.now) };
  });

  api.post(
    '/people',
    { config: manage, schema: { querystring: AmbitoQuery, body: PersonInput } },
    async (request, reply) => {
      const person = await createPerson(
        await peopleContext(db, request, request.query.ambito, options),
        request.body,
      );
      return reply.status(201).send({ person });
    },
  );

  api.get(
    '/people/:personId',
    { config: manage, schema: { params: PersonParams, querystring: AmbitoQuery } },
    async (request) => {
      const ctx = await peopleContext(db, request, request.query.ambito, options);
      return { person: await personOf(db, ctx.ambitoId, request.params.personId, ctx.now) };
    },
  );

  api.patch(
    '/people/:personId',
    { config: manage, schema: { params: PersonParams, querystring: AmbitoQuery, body: PersonInput } },
    async (request) => {
      const ctx = await peopleContext(db, request, request.query.ambito, options);
      const { person, changed } = await updatePerson(ctx, request.params.personId, request.body);
      return { person, changed };
    },
  );

  /** The body is the real person: the one registered with that address (updated), or a new one. */
  api.post(
    '/people/:personId/replace',
    { config: manage, schema: { params: PersonParams, querystring: AmbitoQuery, body: PersonInput } },
    async (request) => {
      const ctx = await peopleContext(db, request, request.query.ambito, options);
      return replacePlaceholder(ctx, request.params.personId, request.body);
    },
  );

  api.get(
    '/people/import/template',
    { config: manage, schema: { querystring: TemplateQuery } },
    async (request, reply) => {
      const ctx = await peopleContext(db, request, request.query.ambito, options);
      const format = request.query.formato;
      const file = format === 'xlsx' ? await templateXlsx(db, ctx.ambitoId) : templateCsv();
      return reply
        .header('content-type', TEMPLATE_TYPES[format])
        .header('content-disposition', `attachment; filename="modello-persone.${format}"`)
        .send(file);
    },
  );

  /** Multipart `file` (CSV or XLSX): what each row would change, and each bad row's problems. Saves nothing. */
  api.post(
    '/people/import/preview',
    { config: manage, schema: { querystring: AmbitoQuery } },
    async (request) => {
      const ctx = await peopleContext(db, request, request.query.ambito, options);
      const rows = await readUploadedSpreadsheet(request);
      return publicPlan(await planImport(db, ctx.ambitoId, rows, ctx.now));
    },
  );

  /** Multipart `file`: planned again and applied in one transaction; 422 and nothing saved when a row is wrong. */
  api.post('/people/import', { config: manage, schema: { querystring: AmbitoQuery } }, async (request) => {
    const ctx = await peopleContext(db, request, request.query.ambito, options);
    const rows = await readUploadedSpreadsheet(request);
    return publicPlan(await commitImport(ctx, rows));
  });
};
