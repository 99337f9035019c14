/**
 * The default plan of a year: every body's series occurrences, with stored overrides applied (a planned
 * occurrence moved to another instant, or cancelled), each meeting's convocation deadline, the Assemblea
 * sessions that approve the year's deliverables, and the deliverable deadlines with their stages.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { BodyRules } from './body-rules';
import {
  approvingSession,
  DEFAULT_DELIVERABLE_RULES,
  DEFAULT_STAGE_OFFSETS,
  deliverableDeadlines,
  stageDeadlines,
  type DeliverableDeadline,
  type DeliverableRef,
  type DeliverableRule,
  type StageDeadline,
  type StageOffsets,
} from './deadlines';
import type { HolidayCalendar } from './holidays';
import { BodyKind } from './kinds';
import { DEFAULT_SEND_POLICY, latestConvocation, type SendPolicy } from './notice';
import { seriesOccurrences } from './series';
import { civil, CivilDate, dateOf, formatInstant, Instant, instant, instantMs } from './time';

export const PlanBody = z.object({
  id: z.string().min(1),
  kind: BodyKind,
  name: z.string().min(1),
  rules: BodyRules,
});
export type PlanBody = z.infer<typeof PlanBody>;

/** A stored change to one occurrence, keyed by body id and the occurrence's nominal `plannedDate`. */
export const MeetingOverride = z.discriminatedUnion('action', [
  z.object({
    bodyId: z.string().min(1),
    plannedDate: CivilDate,
    action: z.literal('move'),
    start: Instant,
    /** Defaults to start + the cadence's duration. */
    end: Instant.optional(),
  }),
  z.object({ bodyId: z.string().min(1), plannedDate: CivilDate, action: z.literal('cancel') }),
]);
export type MeetingOverride = z.infer<typeof MeetingOverride>;

/**
 * The sessions as stored, as overrides of the rules' plan: a cancelled one cancels its date, any other stands
 * where and when it is (moved or not). The calendar and the deliverables' stage dates both plan over them.
 */
export function storedOverrides(
  stored: readonly { bodyId: string; plannedDateKey: string; status: string; startsAt: Date; endsAt: Date }[],
): MeetingOverride[] {
  const at = (date: Date) => formatInstant(DateTime.fromJSDate(date));
  return stored.map((m) =>
    m.status === 'cancelled'
      ? { bodyId: m.bodyId, plannedDate: m.plannedDateKey, action: 'cancel' }
      : {
          bodyId: m.bodyId,
          plannedDate: m.plannedDateKey,
          action: 'move',
          start: at(m.startsAt),
          end: at(m.endsAt),
        },
  );
}

export interface PlannedMeeting {
  bodyId: string;
  bodyKind: BodyKind;
  bodyName: string;
  /** The nominal date from the rule: the key for overrides. */
  plannedDate: CivilDate;
  start: Instant;
  end: Instant;
  /** The latest moment the ordinary convocation may leave. */
  convocationDeadline: Instant;
  status: 'scheduled' | 'moved';
  shiftedBecause?: string;
  /** The deliverables this session approves, e.g. [{ kind: 'report_annuale', year: 2026 }]. */
  approves: DeliverableRef[];
}

export interface PlannedDeadline extends DeliverableDeadline {
  stages: StageDeadline[];
}

export interface YearPlan {
  year: number;
  /** Sorted by start. Cancelled occurrences are left out. */
  meetings: PlannedMeeting[];
  /** The deliverables due in the year, sorted by due date. */
  deadlines: PlannedDeadline[];
  /** Occurrences dropped by a `skip` holiday policy. */
  skipped: { bodyId: string; plannedDate: CivilDate; reason: string }[];
  /** Overrides of this year that match no occurrence (e.g. the body's rules changed since). */
  unmatchedOverrides: MeetingOverride[];
}

export interface PlanOptions {
  holidays: HolidayCalendar;
  sendPolicy?: SendPolicy;
  deliverableRules?: readonly DeliverableRule[];
  stageOffsets?: StageOffsets;
}

/**
 * Plans `year` (occurrences whose nominal date is in the year). Throws a RangeError naming the problem on
 * invalid bodies or overrides (duplicate ids, duplicate overrides, an end not after its start).
 */
export function planYear(
  year: number,
  bodies: readonly PlanBody[],
  overrides: readonly MeetingOverride[],
  options: PlanOptions,
): YearPlan {
  if (!Number.isInteger(year) || year < 1977 || year > 9999) throw new RangeError(`Anno non valido: ${year}`);
  const validBodies = validateBodies(bodies);
  const byKey = indexOverrides(overrides, year);
  const used = new Set<string>();
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const policy = options.sendPolicy ?? DEFAULT_SEND_POLICY;

  const meetings: PlannedMeeting[] = [];
  const skipped: YearPlan['skipped'] = [];
  for (const body of validBodies) {
    const cadence = body.rules.cadence;
    if (!cadence) continue;
    const series = seriesOccurrences(cadence, from, to, options.holidays);
    skipped.push(...series.skipped.map((s) => ({ bodyId: body.id, ...s })));
    for (const occ of series.occurrences) {
      const key = overrideKey(body.id, occ.plannedDate);
      const override = byKey.get(key);
      if (override) used.add(key);
      if (override?.action === 'cancel') continue;
      const moved = override?.action === 'move';
      const start = moved ? formatInstant(instant(override.start)) : occ.start;
      const end = moved
        ? formatInstant(
            override.end
              ? instant(override.end)
              : instant(override.start).plus({ minutes: cadence.durationMinutes }),
          )
        : occ.end;
      if (instantMs(end) <= instantMs(start)) {
        throw new RangeError(
          `Spostamento non valido per ${body.id} del ${occ.plannedDate}: la fine non segue l'inizio`,
        );
      }
      meetings.push({
        bodyId: body.id,
        bodyKind: body.kind,
        bodyName: body.name,
        plannedDate: occ.plannedDate,
        start,
        end,
        convocationDeadline: latestConvocation(start, body.rules.notice, options.holidays, { policy }),
        status: moved ? 'moved' : 'scheduled',
        ...(!moved && occ.shiftedBecause ? { shiftedBecause: occ.shiftedBecause } : {}),
        approves: [],
      });
    }
  }
  meetings.sort((a, b) => instantMs(a.start) - instantMs(b.start));

  const deadlines = deliverableDeadlines(year, options.deliverableRules ?? DEFAULT_DELIVERABLE_RULES).map(
    (d) => {
      approvingSession(d, meetings)?.approves.push({ kind: d.kind, year: d.year });
      return { ...d, stages: stageDeadlines(d, meetings, options.stageOffsets ?? DEFAULT_STAGE_OFFSETS) };
    },
  );

  const unmatchedOverrides = [...byKey.entries()].filter(([k]) => !used.has(k)).map(([, o]) => o);
  return { year, meetings, deadlines, skipped, unmatchedOverrides };
}

export type CalendarEntry =
  ({ type: 'meeting'; at: Instant } & PlannedMeeting) | ({ type: 'deadline'; at: Instant } & PlannedDeadline);

/** The longest range `planRange` accepts, in years: a calendar query never needs more. */
export const MAX_RANGE_YEARS = 10;

/**
 * Every planned meeting starting and every deliverable due within [from, to] (civil dates in Europe/Rome,
 * both included), sorted by time (meetings by start, deadlines at the end of their due day).
 *
 * With `bodyId`, only that body's meetings, and only the deadlines its kind reviews or approves. The plan is
 * still computed with all bodies, so approvals and stage deadlines are the same as in the full calendar.
 */
export function planRange(
  from: CivilDate,
  to: CivilDate,
  bodies: readonly PlanBody[],
  overrides: readonly MeetingOverride[],
  options: PlanOptions & { bodyId?: string },
): CalendarEntry[] {
  const first = civil(from);
  const last = civil(to);
  if (last < first) throw new RangeError(`Intervallo non valido: ${from} è dopo ${to}`);
  if (last.year - first.year >= MAX_RANGE_YEARS) {
    throw new RangeError(`Intervallo troppo ampio: al massimo ${MAX_RANGE_YEARS} anni`);
  }
  const only = options.bodyId === undefined ? undefined : bodies.find((b) => b.id === options.bodyId);
  if (options.bodyId !== undefined && !only) throw new RangeError(`Organo sconosciuto: ${options.bodyId}`);
  const entries: CalendarEntry[] = [];
  // The year before too: a December occurrence may be shifted or moved into January.
  for (let year = first.year - 1; year <= last.year; year++) {
    const plan = planYear(year, bodies, overrides, options);
    for (const m of plan.meetings) {
      if (!only || m.bodyId === only.id) entries.push({ type: 'meeting', at: m.start, ...m });
    }
    for (const d of plan.deadlines) {
      if (!only || d.approverKind === only.kind || d.reviewerKind === only.kind) {
        entries.push({ type: 'deadline', at: d.dueAt, ...d });
      }
    }
  }
  return entries
    .filter((e) => {
      const day = dateOf(e.at);
      return day >= from && day <= to;
    })
    .sort((a, b) => instantMs(a.at) - instantMs(b.at));
}

function validateBodies(bodies: readonly PlanBody[]): PlanBody[] {
  const seen = new Set<string>();
  return bodies.map((b, i) => {
    const parsed = PlanBody.safeParse(b);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RangeError(`Organo n. ${i + 1} non valido: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    if (seen.has(b.id)) throw new RangeError(`Organo duplicato: ${b.id}`);
    seen.add(b.id);
    return parsed.data;
  });
}

function indexOverrides(overrides: readonly MeetingOverride[], year: number): Map<string, MeetingOverride> {
  const map = new Map<string, MeetingOverride>();
  overrides.forEach((o, i) => {
    const parsed = MeetingOverride.safeParse(o);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RangeError(`Modifica n. ${i + 1} non valida: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    if (!parsed.data.plannedDate.startsWith(`${year}-`)) return;
    const key = overrideKey(parsed.data.bodyId, parsed.data.plannedDate);
    if (map.has(key))
      throw new RangeError(`Due modifiche per ${parsed.data.bodyId} del ${parsed.data.plannedDate}`);
    map.set(key, parsed.data);
  });
  return map;
}

function overrideKey(bodyId: string, plannedDate: CivilDate): string {
  return `${bodyId}\u0000${plannedDate}`;
}
