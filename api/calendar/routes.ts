import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CivilDate, MAX_RANGE_YEARS } from '../../domain';
import { resolveAmbito } from '../ambiti/resolve';
import { RequestRejected } from '../errors';
import { buildCalendar } from './build';

const Query = z
  .object({
    from: CivilDate,
    to: CivilDate,
    body: z.uuid({ message: "atteso l'identificativo (UUID) di un organo" }).optional(),
    ambito: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'deve essere uguale o successiva a from' })
  .refine((q) => Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) < MAX_RANGE_YEARS, {
    path: ['to'],
    message: `intervallo di al massimo ${MAX_RANGE_YEARS} anni`,
  });

/**
 * GET /api/v1/calendar?from=YYYY-MM-DD&to=YYYY-MM-DD[&body=<id>][&ambito=<code>]: every planned meeting and
 * every deliverable deadline in the range (both days included, Europe/Rome), sorted by time.
 */
export const calendarRoutes: FastifyPluginAsync = async (app) => {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/calendar',
      { config: { access: { action: 'ambito.read', on: 'ambito' } }, schema: { querystring: Query } },
      async (request) => {
        const { from, to, body, ambito: ambitoCode } = request.query;
        const ambito = await resolveAmbito(app.db, ambitoCode, request.viewer);
        if (body !== undefined) {
          const known = await app.db.body.count({
            where: {
              id: body,
              OR: [{ ambitoId: ambito.id }, { spansAmbiti: { some: { ambitoId: ambito.id } } }],
            },
          });
          if (!known) {
            throw new RequestRejected(
              404,
              'organo_sconosciuto',
              `Organo sconosciuto in questo ambito: ${body}`,
              [{ field: 'body', message: 'nessun organo attivo con questo identificativo' }],
            );
          }
        }
        const entries = await buildCalendar(app.db, { ambitoId: ambito.id, from, to, bodyId: body });
        return {
          ambito: { code: ambito.code, name: ambito.name },
          from,
          to,
          timeZone: 'Europe/Rome',
          entries,
        };
      },
    );
};
