/**
 * The calendar of an ambito over a date range: the meetings the rules plan (with the changes stored in the
 * database: moved or cancelled occurrences), meetings added by hand, and the deliverable deadlines.
 * The planning itself is domain/plan.ts; this module only gathers its inputs from the database.
 */
import { DateTime } from 'luxon';
import {
  dateOf,
  formatInstant,
  HolidayCalendar,
  instantMs,
  latestConvocation,
  planRange,
  type CalendarEntry,
  type CivilDate,
  type MeetingOverride,
} from '../../domain';
import type { Database } from '../../prisma/client';
import { loadBodies } from '../bodies/load';

const asInstant = (date: Date) => formatInstant(DateTime.fromJSDate(date));

export interface CalendarRequest {
  ambitoId: string;
  from: CivilDate;
  to: CivilDate;
  bodyId?: string;
}

export async function buildCalendar(db: Database, request: CalendarRequest) {
  const { ambitoId, from, to, bodyId } = request;
  const [bodies, feasts] = await Promise.all([
    loadBodies(db, ambitoId),
    db.localFeastDay.findMany({ where: { ambitoId, comuneId: null } }),
  ]);
  const holidays = new HolidayCalendar(feasts.map(({ month, day, name }) => ({ month, day, name })));
  const byId = new Map(bodies.map((body) => [body.id, body]));

  // planRange also plans the year before `from` (a December meeting may move into January).
  const stored = await db.meeting.findMany({
    where: {
      bodyId: { in: [...byId.keys()] },
      OR: [
        { plannedDateKey: { gte: `${Number(from.slice(0, 4)) - 1}-01-01`, lte: to } },
        { startsAt: { gte: DateTime.fromISO(from).minus({ days: 1 }).toJSDate() } },
      ],
    },
  });
  const overrides: MeetingOverride[] = stored.map((meeting) =>
    meeting.status === 'cancelled'
      ? { bodyId: meeting.bodyId, plannedDate: meeting.plannedDateKey, action: 'cancel' }
      : {
          bodyId: meeting.bodyId,
          plannedDate: meeting.plannedDateKey,
          action: 'move',
          start: asInstant(meeting.startsAt),
          end: asInstant(meeting.endsAt),
        },
  );

  const planned = planRange(
    from,
    to,
    bodies.map(({ id, kind, name, rules }) => ({ id, kind, name, rules })),
    overrides,
    { holidays, bodyId },
  );

  // A stored meeting that starts in the range but matches no rule occurrence was added by hand.
  const plannedKeys = new Set(
    planned.flatMap((e) => (e.type === 'meeting' ? [`${e.bodyId}/${e.plannedDate}`] : [])),
  );
  const extra: CalendarEntry[] = stored
    .filter((m) => m.status !== 'cancelled' && (bodyId === undefined || m.bodyId === bodyId))
    .filter((m) => !plannedKeys.has(`${m.bodyId}/${m.plannedDateKey}`))
    .map((m) => ({ meeting: m, start: asInstant(m.startsAt) }))
    .filter(({ start }) => dateOf(start) >= from && dateOf(start) <= to)
    .map(({ meeting, start }) => {
      const body = byId.get(meeting.bodyId)!;
      return {
        type: 'meeting',
        at: start,
        bodyId: body.id,
        bodyKind: body.kind,
        bodyName: body.name,
        plannedDate: meeting.plannedDateKey,
        start,
        end: asInstant(meeting.endsAt),
        convocationDeadline: latestConvocation(start, body.rules.notice, holidays, {
          urgent: meeting.urgent,
        }),
        status: 'moved',
        approves: [],
      };
    });

  const storedByKey = new Map(stored.map((m) => [`${m.bodyId}/${m.plannedDateKey}`, m]));
  return [...planned, ...extra]
    .sort((a, b) => instantMs(a.at) - instantMs(b.at))
    .map((entry) => {
      if (entry.type === 'deadline') return entry;
      const meeting = storedByKey.get(`${entry.bodyId}/${entry.plannedDate}`);
      return { ...entry, meetingId: meeting?.id ?? null, meetingStatus: meeting?.status ?? 'planned' };
    });
}
