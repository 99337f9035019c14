/**
 * Calendario: the year month by month (meetings with status, convocation deadline and what they approve;
 * deliverable deadlines among them), or one month as a grid of weeks, filtered by body, with plan problems
 * shown on the session they concern (domain/plan-order.ts: an Assemblea convened before the Comitato
 * Ristretto has reviewed what it approves). Both views read the same entries; only the grouping differs.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { dateOf, instantMs, reviewOrderProblems, romeNow } from '../../domain/index';
import { ambitiReadable, type Principal } from '../../domain/policy';
import type { Database } from '../../prisma/client';
import { ZONE } from '../../notifications/format';
import { loadBodies } from '../bodies/load';
import { pageAmbito } from '../layout/ambito';
import { DELIVERABLE_KIND, MEETING_STATUS } from '../layout/labels';
import { MONTHS } from '../bodies/rules-form';
import type { GovernanceOptions } from '../temporal';
import { buildCalendar } from './build';

const Query = z.object({
  anno: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  organo: z.uuid().optional().catch(undefined),
  /** `mese` shows one month as a grid (with `m`, 1–12); anything else the year as a list. */
  vista: z.enum(['elenco', 'mese']).catch('elenco'),
  m: z.coerce.number().int().min(1).max(12).optional().catch(undefined),
});

const WEEKDAY_HEADERS = ['Lun', 'Mar', 'Mer', 'Gio', 'Ven', 'Sab', 'Dom'];

/** The weeks (Monday first) covering `month` of `year`, each day with the entries dated on it. */
function monthGrid<T>(year: number, month: number, entriesOn: (date: string) => T[]) {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
  const last = first.endOf('month');
  const weeks: { date: string; day: number; inMonth: boolean; entries: T[] }[][] = [];
  for (let day = first.startOf('week'); day <= last; day = day.plus({ weeks: 1 })) {
    weeks.push(
      Array.from({ length: 7 }, (_, i) => {
        const date = day.plus({ days: i });
        const iso = date.toISODate()!;
        const inMonth = date.month === month;
        return { date: iso, day: date.day, inMonth, entries: inMonth ? entriesOn(iso) : [] };
      }),
    );
  }
  return weeks;
}

/**
 * What the page shows the person: the Ufficio di Piano (and oversight) the whole plan of their ambito, with
 * its deadlines; a convener with no ambito-wide role (ATS) the sessions of the bodies it convenes, in every
 * ambito, each named with its ambito (the Cabina di Regia of each district it serves, in one calendar).
 * Null for anyone else: their meetings are in Le mie riunioni, where the page sends them (as Oggi does).
 */
async function calendarOf(db: Database, principal: Principal, request: FastifyRequest, year: number) {
  const range = { from: `${year}-01-01`, to: `${year}-12-31` };
  if (ambitiReadable(principal).size > 0) {
    const ambito = await pageAmbito(db, request);
    const bodies = await loadBodies(db, ambito.id);
    // Problems are judged on the whole plan: a filtered view still shows the Assemblea's problem.
    return { bodies, all: await buildCalendar(db, { ambitoId: ambito.id, ...range }) };
  }
  if (principal.convenerOf.length === 0) return null;
  const convened = await db.body.findMany({
    where: { id: { in: [...principal.convenerOf] }, active: true },
    select: { id: true, name: true, ambito: { select: { id: true, name: true } } },
    orderBy: [{ ambito: { name: 'asc' } }, { name: 'asc' }],
  });
  const bodies = convened.map((b) => ({ id: b.id, name: `${b.name} – ${b.ambito.name}` }));
  const entries = await Promise.all(
    convened.map((b) => buildCalendar(db, { ambitoId: b.ambito.id, bodyId: b.id, ...range })),
  );
  const nameOf = new Map(bodies.map((b) => [b.id, b.name]));
  const all = entries
    .flat()
    .flatMap((e) =>
      e.type === 'meeting' && nameOf.has(e.bodyId) ? [{ ...e, bodyName: nameOf.get(e.bodyId)! }] : [],
    )
    .sort((a, b) => instantMs(a.at) - instantMs(b.at));
  return { bodies, all };
}

/** `now`: the API's clock (buildServer's), whose year and month the page opens on. */
export const calendarPages: FastifyPluginAsync<Pick<GovernanceOptions, 'now'>> = async (app, options) => {
  app.get(
    '/calendario',
    // The office reads its ambito's plan; a convener without it (ATS) the bodies it convenes (calendarOf).
    { config: { access: 'signed-in' } },
    async (request, reply) => {
      const query = Query.parse(request.query);
      const today = await romeNow(options.now);
      const year = query.anno ?? today.year;
      const calendar = await calendarOf(app.db, request.viewer!.principal, request, year);
      if (!calendar) return reply.redirect('/mie-riunioni', 303);
      const { bodies, all } = calendar;
      const bodyId = bodies.some((b) => b.id === query.organo) ? query.organo : undefined;
      const entries = bodyId ? all.filter((e) => e.type === 'deadline' || e.bodyId === bodyId) : all;
      const meetings = all.flatMap((e) => (e.type === 'meeting' ? [e] : []));
      const problems = reviewOrderProblems(
        meetings,
        all.flatMap((e) => (e.type === 'deadline' ? [e] : [])),
      );
      const nameOf = new Map(bodies.map((b) => [b.id, b.name]));
      const shown = entries.map((entry) => {
        if (entry.type === 'deadline') {
          return {
            date: dateOf(entry.at),
            deadline: true,
            at: entry.at,
            label: entry.label,
            optional: entry.optional,
          };
        }
        const problem = problems.find(
          (p) => p.approval.bodyId === entry.bodyId && p.approval.start === entry.start,
        );
        return {
          ...entry,
          date: dateOf(entry.at),
          statusLabel: MEETING_STATUS[entry.meetingStatus],
          approves: entry.approves.map((a) => `${DELIVERABLE_KIND[a.kind]} ${a.year}`),
          problem: problem && {
            deliverable: `${DELIVERABLE_KIND[problem.deliverable.kind]} ${problem.deliverable.year}`,
            reviewBody: problem.review ? nameOf.get(problem.review.bodyId) : null,
            reviewStart: problem.review?.start ?? null,
          },
        };
      });
      const common = {
        year,
        bodies: bodies.map((b) => ({ id: b.id, name: b.name, selected: b.id === bodyId })),
        bodyId,
        problems: problems.length,
      };
      if (query.vista === 'mese') {
        const month = query.m ?? (year === today.year ? today.month : 1);
        const label = `${MONTHS[month - 1]} ${year}`;
        const step = (delta: number) => {
          const to = DateTime.fromObject({ year, month }).plus({ months: delta });
          return { anno: to.year, m: to.month, label: `${MONTHS[to.month - 1]} ${to.year}` };
        };
        return reply.page('api/calendar/views/calendario.hbs', {
          ...common,
          title: `Calendario: ${label}`,
          grid: {
            label,
            month,
            weekdays: WEEKDAY_HEADERS,
            weeks: monthGrid(year, month, (date) => shown.filter((e) => e.date === date)),
            previous: step(-1),
            next: step(1),
          },
        });
      }
      const months = MONTHS.map((label, i) => ({
        label: `${label} ${year}`,
        number: i + 1,
        entries: shown.filter((e) => Number(e.date.slice(5, 7)) === i + 1),
      }));
      return reply.page('api/calendar/views/calendario.hbs', {
        ...common,
        title: `Calendario ${year}`,
        previous: year - 1,
        next: year + 1,
        months: months.filter((m) => m.entries.length > 0),
      });
    },
  );
};
