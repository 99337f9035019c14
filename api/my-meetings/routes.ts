/**
 * Le mie riunioni (GET /mie-riunioni): for every signed-in person, the sessions of the bodies they sit on,
 * prepare or convene, and those they attend as someone's delegate, a year back and a year ahead, with their
 * own answer and, once approved, the verbale. It is where a mayor lands after signing in (GET / sends
 * whoever has no ambito-wide role here).
 */
import type { FastifyPluginAsync } from 'fastify';
import { bodiesReadable } from '../../domain/policy';
import { MEETING_STATUS } from '../layout/labels';

const YEAR_MS = 365 * 86_400_000;
const ANSWER: Record<string, string> = {
  present: 'presente',
  absent: 'assente',
  delegate: 'invia un delegato',
};

export const myMeetingsRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db;

  app.get('/mie-riunioni', { config: { access: 'signed-in' } }, async (request, reply) => {
    const { personId, principal } = request.viewer!;
    const now = Date.now();
    const meetings = await db.meeting.findMany({
      where: {
        startsAt: { gte: new Date(now - YEAR_MS), lte: new Date(now + YEAR_MS) },
        OR: [{ bodyId: { in: [...bodiesReadable(principal)] } }, { id: { in: [...principal.invitedTo] } }],
      },
      orderBy: { startsAt: 'asc' },
      include: {
        body: { select: { name: true } },
        verbale: { select: { status: true } },
        invitations: { where: { personId }, select: { answer: true, seatId: true } },
      },
    });
    const rows = meetings.map((m) => ({
      id: m.id,
      body: m.body.name,
      startsAt: m.startsAt.toISOString(),
      place: m.place,
      status: MEETING_STATUS[m.status],
      answer: m.invitations[0]?.answer ? ANSWER[m.invitations[0].answer] : null,
      asDelegate: principal.invitedTo.includes(m.id) && m.invitations[0]?.seatId == null,
      verbaleApproved: m.verbale?.status === 'approved' || m.verbale?.status === 'published',
    }));
    return reply.page('api/my-meetings/views/mie-riunioni.hbs', {
      title: 'Le mie riunioni',
      upcoming: rows.filter((r) => Date.parse(r.startsAt) >= now),
      past: rows.filter((r) => Date.parse(r.startsAt) < now).reverse(),
    });
  });
};
