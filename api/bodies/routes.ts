import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveAmbito } from '../ambiti/resolve';
import { loadBodies } from './load';

const Query = z.object({ ambito: z.string().trim().min(1).optional() }).strict();

/** GET /api/v1/bodies: the governance bodies of an ambito with their rules. */
export const bodiesRoutes: FastifyPluginAsync = async (app) => {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/bodies', { schema: { querystring: Query } }, async (request) => {
      const ambito = await resolveAmbito(app.db, request.query.ambito);
      const bodies = await loadBodies(app.db, ambito.id);
      return {
        ambito: { code: ambito.code, name: ambito.name },
        bodies: bodies.map((body) => ({
          id: body.id,
          code: body.code,
          name: body.name,
          kind: body.kind,
          convenerRole: body.convenerRole,
          convenerOrganisation: body.convenerOrganisation?.name ?? null,
          subAmbito: body.subAmbito,
          source: body.source,
          rules: body.rules,
        })),
      };
    });
};
