/**
 * What a feed shows: a person's meetings (those of the bodies where they held a seat or were the standing
 * delegate on the day, and any they were invited to, such as a one-meeting delegation), or a body's
 * meetings; from a year back on, cancelled ones included.
 */
import { buildFeed, type FeedEvent } from '../../notifications/calendar';
import type { Database } from '../../prisma/client';
import { holdsOn } from '../../prisma/membership-days';
import type { FeedOwner } from './tokens';

const YEAR_MS = 365 * 86_400_000;

const meetingInclude = { body: { select: { name: true } } } as const;

export async function feedMeetings(db: Database, owner: FeedOwner, now: Date) {
  const since = new Date(now.getTime() - YEAR_MS);
  if ('bodyId' in owner) {
    const body = await db.body.findUniqueOrThrow({ where: { id: owner.bodyId } });
    const meetings = await db.meeting.findMany({
      where: { bodyId: body.id, startsAt: { gte: since } },
      include: meetingInclude,
      orderBy: { startsAt: 'asc' },
    });
    return { name: body.name, meetings };
  }
  const person = await db.person.findUniqueOrThrow({ where: { id: owner.personId } });
  const memberships = await db.membership.findMany({
    where: { OR: [{ personId: person.id }, { delegatePersonId: person.id }] },
    include: { seat: { select: { bodyId: true } } },
  });
  const candidates = await db.meeting.findMany({
    where: {
      startsAt: { gte: since },
      OR: [
        { bodyId: { in: [...new Set(memberships.map((m) => m.seat.bodyId))] } },
        { invitations: { some: { personId: person.id } } },
      ],
    },
    include: { ...meetingInclude, invitations: { where: { personId: person.id }, select: { id: true } } },
    orderBy: { startsAt: 'asc' },
  });
  const meetings = candidates.filter(
    (m) =>
      m.invitations.length > 0 ||
      memberships.some((ms) => ms.seat.bodyId === m.bodyId && holdsOn(ms, m.startsAt)),
  );
  return { name: `Riunioni di ${person.fullName}`, meetings };
}

type FeedMeeting = Awaited<ReturnType<typeof feedMeetings>>['meetings'][number];

export function feedIcs(
  name: string,
  meetings: FeedMeeting[],
  options: { uidDomain: string; baseUrl: string },
): string {
  const base = options.baseUrl.replace(/\/$/, '');
  const events: FeedEvent[] = meetings.map((m) => ({
    meetingId: m.id,
    revision: m.revision,
    summary: m.body.name,
    ...(m.cancellationReason ? { description: `Seduta annullata: ${m.cancellationReason}` } : {}),
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    ...((m.place ?? m.onlineUrl) ? { location: (m.place ?? m.onlineUrl)! } : {}),
    url: `${base}/riunioni/${m.id}`,
    cancelled: m.status === 'cancelled',
    changedAt: m.updatedAt.toISOString(),
  }));
  return buildFeed({ name, uidDomain: options.uidDomain, events });
}
