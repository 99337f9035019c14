/**
 * GET /api/v1/changes/rejected: changes the processes refused, newest first, so nobody believes a change
 * happened when it did not. The API checks what it can before accepting a change; the workflows check again
 * when they apply it (a reschedule that has become past, a malformed extension sent by another client) and
 * record the refusal with its reason in the audit log (`*.change_rejected`, `*.extension_rejected`).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { atRome, CivilDate } from '../../domain/index';
import { resolveAmbito } from '../ambiti/resolve';

const Query = z
  .object({
    /** Only refusals from this day on (from midnight in Italy). */
    from: CivilDate.optional(),
  })
  .strict();

const REJECTED_ACTIONS = ['meeting.change_rejected', 'deliverable.extension_rejected'];

export const changesRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db;
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/changes/rejected',
      { config: { access: { action: 'ambito.read', on: 'ambito' } }, schema: { querystring: Query } },
      async (request) => {
        const { from } = request.query;
        const ambito = await resolveAmbito(db, undefined, request.viewer);
        const found = await db.auditEvent.findMany({
          where: {
            action: { in: REJECTED_ACTIONS },
            ...(from ? { at: { gte: atRome(from, '00:00').toJSDate() } } : {}),
          },
          orderBy: { at: 'desc' },
          take: 500,
        });
        const labels = await labelsOf(
          ambito.id,
          found.filter((e) => e.entity === 'meeting').map((e) => e.entityId),
          found.filter((e) => e.entity === 'deliverable').map((e) => e.entityId),
        );
        // Only this ambito's meetings and deliverables have a label: another district's refusals are not shown.
        const events = found.filter((e) => labels.has(e.entityId));
        return {
          changes: events.map((e) => {
            const data = (e.data ?? {}) as { reason?: string; change?: unknown };
            return {
              at: e.at.toISOString(),
              entity: e.entity,
              entityId: e.entityId,
              label: labels.get(e.entityId)!,
              reason: data.reason ?? null,
              change: data.change ?? null,
            };
          }),
        };
      },
    );

  /** "Comitato Ristretto del 2027-03-09", "report_annuale 2026": what the coordinator recognises. */
  async function labelsOf(
    ambitoId: string,
    meetingIds: string[],
    deliverableIds: string[],
  ): Promise<Map<string, string>> {
    const [meetings, deliverables] = await Promise.all([
      db.meeting.findMany({
        where: {
          id: { in: meetingIds },
          body: { OR: [{ ambitoId }, { spansAmbiti: { some: { ambitoId } } }] },
        },
        select: { id: true, plannedDateKey: true, body: { select: { name: true } } },
      }),
      db.deliverable.findMany({
        where: { id: { in: deliverableIds }, ambitoId },
        select: { id: true, kind: true, referencePeriod: true },
      }),
    ]);
    return new Map([
      ...meetings.map((m) => [m.id, `${m.body.name} del ${m.plannedDateKey}`] as const),
      ...deliverables.map((d) => [d.id, `${d.kind} ${d.referencePeriod}`] as const),
    ]);
  }
};
