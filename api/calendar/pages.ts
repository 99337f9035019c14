/**
 * Calendario: the year month by month (meetings with status, convocation deadline and what they approve;
 * deliverable deadlines among them), filtered by body, with plan problems shown on the session they concern
 * (domain/plan-order.ts: an Assemblea convened before the Comitato Ristretto has reviewed what it approves).
 */
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { dateOf, reviewOrderProblems } from '../../domain/index';
import { ZONE } from '../../notifications/format';
import { loadBodies } from '../bodies/load';
import { pageAmbito } from '../layout/ambito';
import { DELIVERABLE_KIND, MEETING_STATUS } from '../layout/labels';
import { MONTHS } from '../bodies/rules-form';
import { buildCalendar } from './build';

const Query = z.object({
  anno: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  organo: z.uuid().optional().catch(undefined),
});

export const calendarPages: FastifyPluginAsync = async (app) => {
  app.get(
    '/calendario',
    { config: { access: { action: 'ambito.read', on: 'ambito' } } },
    async (request, reply) => {
      const ambito = await pageAmbito(app.db, request);
      const query = Query.parse(request.query);
      const year = query.anno ?? DateTime.now().setZone(ZONE).year;
      const bodies = await loadBodies(app.db, ambito.id);
      const bodyId = bodies.some((b) => b.id === query.organo) ? query.organo : undefined;
      // Problems are judged on the whole plan: a filtered view still shows the Assemblea's problem.
      const all = await buildCalendar(app.db, {
        ambitoId: ambito.id,
        from: `${year}-01-01`,
        to: `${year}-12-31`,
      });
      const entries = bodyId ? all.filter((e) => e.type === 'deadline' || e.bodyId === bodyId) : all;
      const meetings = all.flatMap((e) => (e.type === 'meeting' ? [e] : []));
      const problems = reviewOrderProblems(
        meetings,
        all.flatMap((e) => (e.type === 'deadline' ? [e] : [])),
      );
      const nameOf = new Map(bodies.map((b) => [b.id, b.name]));
      const months = MONTHS.map((label) => ({ label: `${label} ${year}`, entries: [] as unknown[] }));
      for (const entry of entries) {
        const month = Number(dateOf(entry.at).slice(5, 7)) - 1;
        if (entry.type === 'deadline') {
          months[month]!.entries.push({
            deadline: true,
            at: entry.at,
            label: entry.label,
            optional: entry.optional,
          });
          continue;
        }
        const problem = problems.find(
          (p) => p.approval.bodyId === entry.bodyId && p.approval.start === entry.start,
        );
        months[month]!.entries.push({
          ...entry,
          statusLabel: MEETING_STATUS[entry.meetingStatus],
          approves: entry.approves.map((a) => `${DELIVERABLE_KIND[a.kind]} ${a.year}`),
          problem: problem && {
            deliverable: `${DELIVERABLE_KIND[problem.deliverable.kind]} ${problem.deliverable.year}`,
            reviewBody: problem.review ? nameOf.get(problem.review.bodyId) : null,
            reviewStart: problem.review?.start ?? null,
          },
        });
      }
      return reply.page('api/calendar/views/calendario.hbs', {
        title: `Calendario ${year}`,
        year,
        previous: year - 1,
        next: year + 1,
        bodies: bodies.map((b) => ({ id: b.id, name: b.name, selected: b.id === bodyId })),
        bodyId,
        problems: problems.length,
        months: months.filter((m) => m.entries.length > 0),
      });
    },
  );
};
