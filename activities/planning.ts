/**
 * Side effects of the long-lived workflows: creating the next occurrence of a series, the year's
 * deliverables, and the compliance findings. Creation is idempotent on natural keys (body + planned day,
 * ambito + kind + period); findings are reported once per rule, body, period and severity.
 */
import {
  BodyRules,
  checkCompliance,
  dateOf,
  deliverableDeadlines,
  endOfDay,
  planRange,
  planYear,
  type HolidayCalendar,
  type MeetingRecord,
  type PlanBody,
} from '../domain/index';
import type { Body } from '../prisma/client';
import type { ComplianceFinding, PlanningActivities } from '../workflows/contracts';
import { defaultAgenda, type Recipient } from './compose';
import { activityNow, type ActivityDeps } from './context';
import { referencePeriod } from './deliverables';
import { sendMessages } from './mail';
import { bodiesWithCadence, seriesRules } from './series-rules';
import { iso } from './meetings';
import { convenerRecipients, roleRecipients, unique } from './people';
import { nextComplianceCheck } from './timeline';
import { dateColumn } from '../prisma/date-columns';

/** ASSUMPTION: the place is not in any rule; the coordinator sets it before the convocation leaves. */
const PLACE_TO_BE_SET = 'Sede da definire (indicata dal convocante)';

const planBody = (b: Body): PlanBody => ({
  id: b.id,
  kind: b.kind,
  name: b.name,
  rules: BodyRules.parse(b.rules),
});

/**
 * The body's first planned meeting starting after `after`, looking up to two years ahead. The range grows a
 * year at a time and stops at the first that has one: planRange answers each range in time order and plans
 * each year alike whatever the range, so the first meeting found is the one the whole two-year range would
 * give, without planning four years (the range and the year before it) on every call.
 */
function nextPlannedMeeting(body: PlanBody, after: string, holidays: HolidayCalendar) {
  const from = dateOf(after);
  const year = Number(from.slice(0, 4));
  const last = `${year + 2}${from.slice(4)}`;
  const afterMs = Date.parse(after);
  for (let endYear = year; ; endYear++) {
    const to = `${endYear}-12-31` < last ? `${endYear}-12-31` : last;
    // Moved or cancelled occurrences are rows keyed by their planned day: the caller finds them, never plans twice.
    const next = planRange(from, to, [body], [], { holidays }).find(
      (e) => e.type === 'meeting' && Date.parse(e.start) > afterMs,
    );
    if (next?.type === 'meeting') return next;
    if (to === last) return undefined;
  }
}

export function createPlanningActivities(deps: ActivityDeps): PlanningActivities {
  const db = deps.prisma;
  const base = deps.publicBaseUrl.replace(/\/$/, '');

  return {
    async planNextOccurrence(bodyId, after) {
      const { body, series, rules } = await seriesRules(db, bodyId);
      if (!body.active || !rules.cadence) return null;
      const next = nextPlannedMeeting({ ...planBody(body), rules }, after, deps.holidays);
      if (!next) return null;
      const seriesId = (series ?? (await db.meetingSeries.create({ data: { bodyId, name: body.name } }))).id;
      const meeting = await db.$transaction(async (tx) => {
        const key = { bodyId_plannedDateKey: { bodyId, plannedDateKey: next.plannedDate } };
        const existing = await tx.meeting.findUnique({ where: key });
        if (existing) return existing;
        return tx.meeting.create({
          data: {
            bodyId,
            seriesId,
            plannedDateKey: next.plannedDate,
            startsAt: new Date(next.start),
            endsAt: new Date(next.end),
            place: PLACE_TO_BE_SET,
            agendaItems: {
              create: defaultAgenda(rules.minutes.required).map((item, i) => ({
                position: i + 1,
                title: item.title,
              })),
            },
          },
        });
      });
      return {
        meetingId: meeting.id,
        startsAt: iso(meeting.startsAt),
        plannedStartsAt: iso(new Date(next.start)),
      };
    },

    async ensureYearDeliverables(ambitoId, year) {
      const ids: string[] = [];
      const today = dateOf(activityNow().toISOString());
      for (const d of deliverableDeadlines(year)) {
        const period = referencePeriod(d.kind, d.year);
        const key = { ambitoId_kind_referencePeriod: { ambitoId, kind: d.kind, referencePeriod: period } };
        // A deadline that passed before the service tracked it is not chased: a first start in June must not
        // escalate April's Report annuale to the Sovraintendenza.
        if (d.dueDate < today && !(await db.deliverable.findUnique({ where: key }))) continue;
        const row = await db.deliverable.upsert({
          where: key,
          create: {
            ambitoId,
            kind: d.kind,
            referenceYear: d.year,
            referencePeriod: period,
            ownerRole: 'Responsabile dell’Ufficio di Piano',
            dueDate: dateColumn(d.dueDate),
            events: {
              create: { kind: 'created', stage: 'udp_draft', actor: 'workflow:annual', at: activityNow() },
            },
          },
          update: {},
        });
        if (row.status === 'open' || row.status === 'submitted') ids.push(row.id);
      }
      return ids;
    },

    bodiesWithSeries: (ambitoId) => bodiesWithCadence(db, ambitoId),

    async nextComplianceCheck(after) {
      return nextComplianceCheck(after, deps.holidays);
    },

    async checkCompliance(ambitoId, at, since) {
      const bodies = (
        await db.body.findMany({ where: { ambitoId, active: true }, orderBy: { code: 'asc' } })
      ).filter((b) => {
        const c = BodyRules.parse(b.rules).compliance;
        return c.everyCalendarMonth || (c.minPerYear ?? 0) > 0 || c.maxGapMonths !== undefined;
      });
      const year = Number(dateOf(at).slice(0, 4));
      const findings: ComplianceFinding[] = [];
      const sinceDay = dateOf(since);
      for (const y of [year - 1, year]) {
        if (y < Number(sinceDay.slice(0, 4))) continue;
        const records = await meetingRecords(bodies, y);
        for (const f of checkCompliance(bodies.map(planBody), records, { year: y, now: at })) {
          // Last year's findings matter only as breaches (reported once, in January); nothing is judged
          // for periods that ended before monitoring began.
          if ((y < year && f.severity !== 'breach') || f.to < sinceDay) continue;
          findings.push({
            bodyId: f.bodyId,
            rule: f.rule,
            severity: f.severity,
            period: f.period,
            message: f.message,
          });
          await report(
            bodies.find((b) => b.id === f.bodyId)!,
            f,
            endOfDay(f.to),
          );
        }
      }
      return { findings, nextCheckAt: nextComplianceCheck(at, deps.holidays) };
    },
  };

  /**
   * Held and planned meetings of the year: the rows that exist, plus the occurrences the rules plan that
   * the series has not created yet (it creates one at a time), so the annual pace is judged on the plan.
   */
  async function meetingRecords(bodies: Body[], year: number): Promise<MeetingRecord[]> {
    // The gap rule counts from the last meeting before the year, which may be months before December (a
    // Cabina di Regia whose December session was cancelled last met in September): rows from two years
    // back cover the longest gap a body may set (24 months), so the first gap is not taken from 1 January.
    const rows = await db.meeting.findMany({
      where: {
        bodyId: { in: bodies.map((b) => b.id) },
        startsAt: { gte: new Date(Date.UTC(year - 2, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) },
      },
    });
    const known = new Set(rows.map((m) => `${m.bodyId}:${m.plannedDateKey}`));
    const records: MeetingRecord[] = rows.map((m) => ({
      bodyId: m.bodyId,
      start: iso(m.startsAt),
      status:
        m.status === 'cancelled'
          ? 'cancelled'
          : m.status === 'held' || m.status === 'closed'
            ? 'held'
            : 'planned',
    }));
    const plan = planYear(year, bodies.map(planBody), [], { holidays: deps.holidays });
    for (const m of plan.meetings) {
      if (!known.has(`${m.bodyId}:${m.plannedDate}`))
        records.push({ bodyId: m.bodyId, start: m.start, status: 'planned' });
    }
    return records;
  }

  /** Tells the convener (and for breaches the Responsabile UdP), once per finding. */
  async function report(
    body: Body,
    // Stored whole as the audit's data: reports/monitoring.ts reads `to` to place the finding in its year.
    f: {
      rule: string;
      period: string;
      to: string;
      severity: 'warning' | 'breach';
      message: string;
      bodyId: string;
    },
    dueAt: string,
  ) {
    const now = activityNow();
    const ambito = await db.ambito.findUniqueOrThrow({ where: { id: body.ambitoId } });
    const recipients = unique([
      ...(await convenerRecipients(db, body, now)),
      ...(f.severity === 'breach' ? await roleRecipients(db, body.ambitoId, 'responsabile_udp', now) : []),
    ]);
    const key = (r: Recipient) => `compliance:${f.rule}:${body.id}:${f.period}:${f.severity}:${r.personId}`;
    const url = `${base}/organi/${body.id}`;
    const common = { district: ambito.name, sender: { name: 'Ufficio di Piano' } };
    await sendMessages(
      deps,
      recipients.map((r) =>
        f.severity === 'breach'
          ? {
              key: key(r),
              kind: 'escalation',
              to: { name: r.name, email: r.email },
              data: {
                ...common,
                recipient: { name: r.name },
                overdue: { title: `${body.name}: ${f.message}`, dueAt, url },
                daysLate: Math.max(1, Math.floor((now.getTime() - Date.parse(dueAt)) / 86_400_000)),
                level: 1,
                levelLabel: 'violazione dell’Accordo di Programma',
                alsoNotified: recipients.filter((o) => o.personId !== r.personId).map((o) => o.name),
              },
              personId: r.personId,
            }
          : {
              key: key(r),
              kind: 'deliverableReminder',
              to: { name: r.name, email: r.email },
              data: {
                ...common,
                recipient: { name: r.name },
                deliverable: {
                  title: `${body.name}: ${f.message}`,
                  stage: 'calendario delle sedute',
                  dueAt,
                  url,
                },
                daysLeft: Math.max(0, Math.ceil((Date.parse(dueAt) - now.getTime()) / 86_400_000)),
              },
              personId: r.personId,
            },
      ),
    );
    const action = `compliance.${f.severity}`;
    const seen = await db.auditEvent.findFirst({
      where: { action, entity: 'body', entityId: body.id, data: { path: ['period'], equals: f.period } },
    });
    if (!seen) {
      await db.auditEvent.create({
        data: { actor: 'workflow:compliance', action, entity: 'body', entityId: body.id, data: f, at: now },
      });
    }
  }
}
