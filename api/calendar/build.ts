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
  storedOverrides,
  type CalendarEntry,
  type CivilDate,
  type LocalFeast,
  type BodyKind,
  type PlanBody,
} from '../../domain';
import type { Database, Meeting } from '../../prisma/client';
import { ACTIVE_SERIES, seriesRulesOf } from '../../activities/series-rules';
import { stampedCache } from '../stamps';

const asInstant = (date: Date) => formatInstant(DateTime.fromJSDate(date));

export interface CalendarRequest {
  ambitoId: string;
  from: CivilDate;
  to: CivilDate;
  bodyId?: string;
}

/** How many built calendars, and holiday calendars, a process keeps. */
const KEPT = 64;

/**
 * Calendars built, by the planning stamp (api/stamps.ts: it changes in the commit of every write to bodies,
 * series, meetings or local feasts) and the request.
 */
const built = stampedCache<readonly CalendarEntryWithMeeting[]>('planning', KEPT);

/** One HolidayCalendar per set of local feasts, so each year's holidays are computed once per process. */
const calendars = new Map<string, HolidayCalendar>();

function holidayCalendar(feasts: LocalFeast[]): HolidayCalendar {
  const key = JSON.stringify(feasts);
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= KEPT) calendars.clear();
    calendars.set(key, (calendar = new HolidayCalendar(feasts)));
  }
  return calendar;
}

export type CalendarEntryWithMeeting = Awaited<ReturnType<typeof computeCalendar>>[number];

/**
 * The bodies of an ambito as loadBodies (api/bodies/load.ts) selects and orders them, reduced to what the
 * calendar needs; their rules are parsed (seriesRulesOf) only when a calendar is computed.
 */
function activeBodiesOf(ambitoId: string) {
  return { active: true, OR: [{ ambitoId }, { spansAmbiti: { some: { ambitoId } } }] };
}

export async function buildCalendar(
  db: Database,
  request: CalendarRequest,
): Promise<readonly CalendarEntryWithMeeting[]> {
  const key = [request.ambitoId, request.from, request.to, request.bodyId ?? ''].join('|');
  return built(db, key, Date.now(), async () => ({
    value: deepFreeze(computeCalendar(await readInputs(db, request))),
  }));
}

/** What a calendar is computed from, read afresh. */
async function readInputs(db: Database, request: CalendarRequest) {
  const { ambitoId, from, to } = request;
  const [bodies, feasts, stored] = await Promise.all([
    db.body.findMany({
      where: activeBodiesOf(ambitoId),
      select: {
        id: true,
        code: true,
        kind: true,
        name: true,
        rules: true,
        series: { ...ACTIVE_SERIES, select: { rulesOverride: true } },
      },
      orderBy: [{ kind: 'asc' }, { code: 'asc' }],
    }),
    db.localFeastDay.findMany({
      where: { ambitoId, comuneId: null },
      select: { month: true, day: true, name: true },
    }),
    // planRange also plans the year before `from` (a December meeting may move into January).
    db.meeting.findMany({
      where: {
        body: activeBodiesOf(ambitoId),
        OR: [
          { plannedDateKey: { gte: `${Number(from.slice(0, 4)) - 1}-01-01`, lte: to } },
          { startsAt: { gte: DateTime.fromISO(from).minus({ days: 1 }).toJSDate() } },
        ],
      },
      select: {
        id: true,
        bodyId: true,
        plannedDateKey: true,
        status: true,
        startsAt: true,
        endsAt: true,
        urgent: true,
      },
    }),
  ]);
  return { request, bodies, feasts, stored };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

type StoredMeeting = Pick<
  Meeting,
  'id' | 'bodyId' | 'plannedDateKey' | 'status' | 'startsAt' | 'endsAt' | 'urgent'
>;

interface StoredBody {
  id: string;
  code: string;
  kind: BodyKind;
  name: string;
  rules: unknown;
  series: { rulesOverride: unknown }[];
}

function withRules({ series, ...row }: StoredBody): PlanBody {
  // Both are validated on every write; a row that fails here was edited behind the service's back.
  try {
    return { id: row.id, kind: row.kind, name: row.name, rules: seriesRulesOf({ rules: row.rules, series }) };
  } catch (error) {
    throw new Error(`Regole non valide nel database per l'organo ${row.code}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function computeCalendar({
  request: { from, to, bodyId },
  bodies: storedBodies,
  feasts,
  stored,
}: {
  request: CalendarRequest;
  bodies: StoredBody[];
  feasts: LocalFeast[];
  stored: StoredMeeting[];
}) {
  const bodies = storedBodies.map(withRules);
  const holidays = holidayCalendar(feasts);
  const byId = new Map(bodies.map((body) => [body.id, body]));
  const overrides = storedOverrides(stored);

  const planned = planRange(from, to, bodies, overrides, { holidays, bodyId });

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
