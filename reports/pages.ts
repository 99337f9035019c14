/**
 * The report pages: Presenze (a body's attendance over a period: a bar chart per organisation drawn on the
 * server, the same figures as tables, links to the three files) and Monitoraggio (the year's figures).
 * They call the same computations, with the same row rules, as the JSON routes (reports/routes.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CivilDate, romeNow, type Clock } from '../domain/index';
import type { Viewer } from '../api/auth/access';
import { resolveAmbito } from '../api/ambiti/resolve';
import { RequestRejected } from '../api/errors';
import type { Database } from '../prisma/client';
import { attendanceScope, requireAmbitoReader } from './access';
import { attendanceReport, type Tally } from './attendance';
import { attendanceChart } from './chart';
import { formatRate } from './exports/table';
import { monitoringReport } from './monitoring';
import { KIND_LABEL, STAGE_LABEL, STATUS_LABEL } from './monitoring-document';
import { SEAT_STATUS_LABEL } from './seat-status';

const PageQuery = z.object({
  body: z.uuid({ message: 'organo non valido' }).optional(),
  from: CivilDate.optional(),
  to: CivilDate.optional(),
});
const YearQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  ambito: z.string().trim().min(1).optional(),
});

const withRateText = <T extends Tally>(t: T) => ({
  ...t,
  rateText: t.rate === null ? '–' : formatRate(t.rate),
});

/** The bodies whose attendance the viewer may open: their ambiti's, those they convene, serve or sit on. */
async function reportableBodies(db: Database, viewer: Viewer) {
  const p = viewer.principal;
  const ambiti = [...new Set([...p.udpOf, ...p.oversightOf])];
  const ids = [...new Set([...p.convenerOf, ...p.segreteriaOf, ...p.memberOf])];
  const bodies = await db.body.findMany({
    where: { active: true, OR: [{ ambitoId: { in: ambiti } }, { id: { in: ids } }] },
    include: { ambito: true },
    orderBy: [{ name: 'asc' }, { ambito: { name: 'asc' } }],
  });
  // ATS sees the Cabina di Regia of every ambito it serves in one list: the ambito tells them apart.
  const ambitiShown = new Set(bodies.map((b) => b.ambitoId)).size > 1;
  return bodies.map((b) => ({ id: b.id, name: b.name, ambito: ambitiShown ? b.ambito.name : null }));
}

/** `now`: the API's clock (buildServer's). */
export const reportPages: FastifyPluginAsync<{ now?: Clock }> = async (app, options) => {
  const pages = app.withTypeProvider<ZodTypeProvider>();

  pages.get(
    '/presenze',
    { schema: { querystring: PageQuery }, config: { access: 'signed-in' } },
    async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer)
        return reply.errorPage(401, 'Accesso richiesto', 'Per vedere le presenze occorre accedere.');
      const bodies = await reportableBodies(app.db, viewer);
      const { year } = await romeNow(options.now);
      const query = {
        body: request.query.body ?? bodies[0]?.id,
        from: request.query.from ?? `${year}-01-01`,
        to: request.query.to ?? `${year}-12-31`,
      };
      const data = { title: 'Presenze', bodies, query };
      if (!query.body) return reply.page('reports/views/presenze.hbs', data);
      if (query.from > query.to)
        return reply.page('reports/views/presenze.hbs', {
          ...data,
          problem: 'La data iniziale segue quella finale.',
        });
      const body = await app.db.body.findUnique({
        where: { id: query.body },
        include: { spansAmbiti: true },
      });
      if (!body) return reply.errorPage(404, 'Organo non trovato', 'Scegliere un organo dall’elenco.');
      let scope;
      try {
        scope = attendanceScope(viewer, {
          id: body.id,
          ambitoIds: [body.ambitoId, ...body.spansAmbiti.map((s) => s.ambitoId)],
        });
      } catch (error) {
        if (error instanceof RequestRejected)
          return reply.errorPage(error.statusCode, 'Non consentito', error.message);
        throw error;
      }
      const report = await attendanceReport(
        app.db,
        { bodyId: body.id, from: query.from, to: query.to },
        scope,
      );
      const file = (format: string) =>
        `/api/v1/reports/attendance?body=${body.id}&from=${query.from}&to=${query.to}&format=${format}`;
      return reply.page('reports/views/presenze.hbs', {
        ...data,
        report,
        chart: attendanceChart(report.organisations),
        organisations: report.organisations.map(withRateText),
        people: report.people.map(withRateText),
        meetings: report.meetings.map((m) => ({
          ...m,
          seats: m.seats.map((s) => ({ ...s, statusLabel: SEAT_STATUS_LABEL[s.status] })),
        })),
        downloads: { csv: file('csv'), xlsx: file('xlsx'), pdf: file('pdf') },
      });
    },
  );

  pages.get(
    '/monitoraggio',
    { schema: { querystring: YearQuery }, config: { access: { action: 'ambito.read', on: 'ambito' } } },
    async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer)
        return reply.errorPage(401, 'Accesso richiesto', 'Per vedere il monitoraggio occorre accedere.');
      const ambito = await resolveAmbito(app.db, request.query.ambito);
      try {
        requireAmbitoReader(viewer, ambito.id);
      } catch (error) {
        if (error instanceof RequestRejected)
          return reply.errorPage(error.statusCode, 'Non consentito', error.message);
        throw error;
      }
      const now = await romeNow(options.now);
      const year = request.query.year ?? now.year;
      const report = await monitoringReport(app.db, { ambitoId: ambito.id, year, now: now.toJSDate() });
      const file = (format: string) =>
        `/api/v1/reports/monitoring?year=${year}&ambito=${ambito.code}&format=${format}`;
      return reply.page('reports/views/monitoraggio.hbs', {
        title: `Monitoraggio dell'anno ${year}`,
        year,
        report,
        deliverables: report.deliverables.map((d) => ({
          ...d,
          kindLabel: KIND_LABEL[d.kind] ?? d.kind,
          statusLabel: STATUS_LABEL[d.status] ?? d.status,
          stages: d.stages.map((st) => ({ ...st, stageLabel: STAGE_LABEL[st.stage] ?? st.stage })),
        })),
        downloads: { csv: file('csv'), xlsx: file('xlsx'), pdf: file('pdf') },
      });
    },
  );
};
