/**
 * GET /api/v1/reports/attendance?body=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv|xlsx|pdf[&sheet=]
 * GET /api/v1/reports/monitoring?year=YYYY&format=json|csv|xlsx|pdf[&ambito=<code>][&sheet=]
 *
 * The JSON and the three files carry the same figures (reports/exports). A CSV holds one table: `sheet`
 * chooses which (attendance: organizzazioni, persone, sedute; monitoring: organi, scadenze).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CivilDate, readClock, type Clock } from '../domain/index';
import { resolveAmbito } from '../api/ambiti/resolve';
import { RequestRejected } from '../api/errors';
import { attendanceScope, requireAmbitoReader, signedInViewer } from './access';
import { attendanceReport } from './attendance';
import { ATTENDANCE_SHEETS, attendanceDocument } from './attendance-document';
import { sendFile } from './exports/send';
import { FORMATS } from './exports/table';
import { MONITORING_SHEETS, monitoringDocument } from './monitoring-document';
import { monitoringReport } from './monitoring';

const MAX_DAYS = 366 * 3;

const AttendanceQuery = z
  .object({
    body: z.uuid({ message: "atteso l'identificativo (UUID) di un organo" }),
    from: CivilDate,
    to: CivilDate,
    format: z.enum(FORMATS).default('json'),
    sheet: z.enum(ATTENDANCE_SHEETS).default('organizzazioni'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'deve essere uguale o successiva a from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_DAYS * 86_400_000, {
    path: ['to'],
    message: 'intervallo di al massimo tre anni',
  });

const MonitoringQuery = z
  .object({
    year: z.coerce.number({ message: 'atteso un anno (AAAA)' }).int().min(2000).max(2100),
    format: z.enum(FORMATS).default('json'),
    sheet: z.enum(MONITORING_SHEETS).default('organi'),
    ambito: z.string().trim().min(1).optional(),
  })
  .strict();

/** `now`: the API's clock (buildServer's), for the verbali overdue in the monitoring. */
export const reportsRoutes: FastifyPluginAsync<{ now?: Clock }> = async (app, options) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/reports/attendance',
    { schema: { querystring: AttendanceQuery }, config: { access: { action: 'meeting.read', on: 'body' } } },
    async (request, reply) => {
      const viewer = signedInViewer(request);
      const { body: bodyId, from, to, format, sheet } = request.query;
      const body = await app.db.body.findUnique({ where: { id: bodyId }, include: { spansAmbiti: true } });
      if (!body) {
        throw new RequestRejected(404, 'organo_sconosciuto', `Organo sconosciuto: ${bodyId}`, [
          { field: 'body', message: 'nessun organo con questo identificativo' },
        ]);
      }
      const scope = attendanceScope(viewer, {
        id: body.id,
        ambitoIds: [body.ambitoId, ...body.spansAmbiti.map((s) => s.ambitoId)],
      });
      const report = await attendanceReport(app.db, { bodyId, from, to }, scope);
      if (format === 'json') return report;
      return sendFile(
        reply,
        attendanceDocument(report, new Date()),
        format,
        `presenze-${body.code}-${from}-${to}`,
        ATTENDANCE_SHEETS.indexOf(sheet),
      );
    },
  );

  api.get(
    '/reports/monitoring',
    { schema: { querystring: MonitoringQuery }, config: { access: { action: 'ambito.read', on: 'ambito' } } },
    async (request, reply) => {
      const viewer = signedInViewer(request);
      const { year, format, sheet, ambito: code } = request.query;
      const ambito = await resolveAmbito(app.db, code);
      requireAmbitoReader(viewer, ambito.id);
      const now = new Date(await readClock(options.now));
      const report = await monitoringReport(app.db, { ambitoId: ambito.id, year, now });
      if (format === 'json') return report;
      return sendFile(
        reply,
        monitoringDocument(report, new Date()),
        format,
        `monitoraggio-${ambito.code}-${year}`,
        MONITORING_SHEETS.indexOf(sheet),
      );
    },
  );
};
