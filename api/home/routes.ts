/**
 * Oggi (GET /): what needs the Ufficio di Piano now, each with the link where it is dealt with. Convocations
 * leaving in the next 10 days (and whether their agenda is ready), today's sessions, verbali awaited or late,
 * open deliverables with their deadline and escalation level, compliance warnings and breaches of the last
 * 60 days, failed e-mails and changes the workflows refused.
 */
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import { addDays, dateOf, instantMs, readClock } from '../../domain/index';
import { ambitiReadable } from '../../domain/policy';
import { ZONE } from '../../notifications/format';
import { countFailed } from '../../notifications/outbox/failed';
import { personInAmbito } from '../auth/tenancy';
import { buildCalendar } from '../calendar/build';
import { pageAmbito } from '../layout/ambito';
import type { GovernanceOptions } from '../temporal';
import { DELIVERABLE_KIND, STAGE, VERBALE_STATUS } from '../layout/labels';

const DAY_MS = 86_400_000;
const REJECTED_ACTIONS = ['meeting.change_rejected', 'deliverable.extension_rejected'];

/** Each list is usually empty: no query is made for an empty one. */
async function unlessEmpty<T>(ids: string[], query: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  return ids.length === 0 ? [] : query(ids);
}

/** `now`: the API's clock (buildServer's), which "today" and what is due are judged on. */
export const homeRoutes: FastifyPluginAsync<Pick<GovernanceOptions, 'now'>> = async (app, options) => {
  const db = app.db;

  // Everyone signed in lands here; who has no ambito-wide role (a mayor, a delegate, ATS) goes to their meetings.
  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    if (ambitiReadable(request.viewer!.principal).size === 0) return reply.redirect('/mie-riunioni', 303);
    const ambito = await pageAmbito(db, request);
    const now = await readClock(options.now);
    const today = DateTime.fromMillis(now).setZone(ZONE).toISODate()!;
    const inBody = {
      body: { OR: [{ ambitoId: ambito.id }, { spansAmbiti: { some: { ambitoId: ambito.id } } }] },
    };
    // A convocation leaving within 10 days is for a meeting at most notice + 10 days ahead: 90 days is ample.
    const [calendar, verbali, deliverables, failed, compliance, refused] = await Promise.all([
      buildCalendar(db, { ambitoId: ambito.id, from: today, to: addDays(today, 90) }),
      db.verbale.findMany({
        where: {
          documentId: null,
          meeting: { ...inBody, status: { in: ['held', 'convened'] }, startsAt: { lt: new Date(now) } },
        },
        include: { meeting: { include: { body: true } } },
        orderBy: { dueDate: 'asc' },
      }),
      db.deliverable.findMany({
        where: { ambitoId: ambito.id, status: { in: ['open', 'submitted'] }, stage: { not: 'completed' } },
        orderBy: { dueDate: 'asc' },
        take: 20,
      }),
      countFailed(db, { recipients: personInAmbito(ambito.id) }),
      db.outboxMessage.findMany({
        where: {
          idempotencyKey: { startsWith: 'compliance:' },
          createdAt: { gte: new Date(now - 60 * DAY_MS) },
          person: personInAmbito(ambito.id),
        },
        orderBy: { createdAt: 'desc' },
        distinct: ['subject'],
        // Only what the page shows: the rows also hold each message's bodies and invite.
        select: { kind: true, subject: true, createdAt: true },
        take: 20,
      }),
      db.auditEvent.findMany({
        where: { action: { in: REJECTED_ACTIONS }, at: { gte: new Date(now - 30 * DAY_MS) } },
        orderBy: { at: 'desc' },
        take: 20,
      }),
    ]);
    const meetings = calendar.filter((e) => e.type === 'meeting');
    const soon = meetings.filter(
      (m) => m.meetingStatus === 'planned' && instantMs(m.convocationDeadline) <= now + 10 * DAY_MS,
    );
    const soonIds = soon.flatMap((m) => (m.meetingId ? [m.meetingId] : []));
    const refusedIds = (entity: string) => refused.filter((e) => e.entity === entity).map((e) => e.entityId);
    const [agendaCounts, refusedMeetings, refusedDeliverables] = await Promise.all([
      unlessEmpty(soonIds, (ids) =>
        db.agendaItem.groupBy({ by: ['meetingId'], where: { meetingId: { in: ids } }, _count: true }),
      ),
      unlessEmpty(refusedIds('meeting'), (ids) =>
        db.meeting.findMany({ where: { id: { in: ids }, ...inBody }, select: { id: true } }),
      ),
      unlessEmpty(refusedIds('deliverable'), (ids) =>
        db.deliverable.findMany({ where: { id: { in: ids }, ambitoId: ambito.id }, select: { id: true } }),
      ),
    ]);
    const agendaOf = new Map(agendaCounts.map((a) => [a.meetingId, a._count]));
    const ours = new Set([...refusedMeetings, ...refusedDeliverables].map((r) => r.id));
    return reply.page('api/home/views/oggi.hbs', {
      title: 'Oggi',
      today,
      convocations: soon.map((m) => ({
        ...m,
        agendaItems: m.meetingId ? (agendaOf.get(m.meetingId) ?? 0) : 0,
      })),
      sessionsToday: meetings.filter((m) => dateOf(m.start) === today),
      verbali: verbali.map((v) => ({
        ...v,
        late: dateOf(v.dueDate.toISOString()) < today,
        statusLabel: VERBALE_STATUS[v.status],
      })),
      deliverables: deliverables.map((d) => ({
        ...d,
        name: `${DELIVERABLE_KIND[d.kind]} ${d.referencePeriod}`,
        stageLabel: STAGE[d.stage],
        late: dateOf(d.dueDate.toISOString()) < today,
      })),
      failed,
      compliance: compliance.map((c) => ({ ...c, breach: c.kind.toLowerCase().includes('breach') })),
      refused: refused
        .filter((e) => ours.has(e.entityId))
        .map((e) => ({
          ...e,
          reason: ((e.data ?? {}) as { reason?: string }).reason ?? null,
          href: e.entity === 'meeting' ? `/riunioni/${e.entityId}` : `/scadenze/${e.entityId}`,
        })),
    });
  });
};
