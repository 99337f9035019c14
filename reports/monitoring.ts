/**
 * Monitoraggio dell'anno: the figures the Report annuale ("documento di monitoraggio", AdP 2018 art. 16)
 * needs from the system that ran the year.
 *
 * For each body: the meetings its compliance rules require (a meeting every month: 12; at least N a year: N;
 * never more than G months apart: ceil(12 / G)) against those held and cancelled; of the verbali due, how many
 * were submitted, circulated and approved, how many late (handed in after the due day, or past it and still
 * missing) and by how many days at most; convocations that left with the notice the rules ask for; the
 * breaches and warnings the compliance monitor raised for the year.
 * For each deliverable due in the year: each stage with its due date and the day it was completed, the
 * extensions and the escalations.
 */
import {
  BodyRules,
  HolidayCalendar,
  checkNotice,
  dayInRome,
  daysBetween,
  type CivilDate,
  type Compliance,
} from '../domain/index';
import { deliverableStageDueDate } from '../activities/deliverables';
import type { Database } from '../prisma/client';
import type { DeliverableStage } from '../workflows/contracts';
import { romeDayRange } from './period';
import { civilOfColumn, dateColumnsOfYear } from '../prisma/date-columns';

export interface BodyMonitoring {
  bodyId: string;
  body: string;
  required: number | null;
  held: number;
  cancelled: number;
  minutes: {
    due: number;
    submitted: number;
    circulated: number;
    approved: number;
    late: number;
    maxDaysLate: number;
  };
  convocations: { sent: number; onTime: number };
  breaches: { period: string; message: string }[];
  warnings: number;
}

export interface StageMonitoring {
  stage: DeliverableStage;
  dueDate: CivilDate;
  completedOn: CivilDate | null;
  /** Days after the due date it was completed (negative: early); null while open. */
  daysLate: number | null;
}

export interface DeliverableMonitoring {
  deliverableId: string;
  kind: string;
  referencePeriod: string;
  dueDate: CivilDate;
  status: string;
  stages: StageMonitoring[];
  extensions: number;
  escalations: number;
  maxEscalationLevel: number;
}

export interface MonitoringReport {
  ambito: { id: string; name: string };
  year: number;
  bodies: BodyMonitoring[];
  deliverables: DeliverableMonitoring[];
}

const STAGES: DeliverableStage[] = ['udp_draft', 'cr_review', 'ads_approval'];

/** Meetings a year the compliance rules ask for; null when the body has none. */
export function requiredMeetings(compliance: Compliance): number | null {
  const needs = [
    compliance.everyCalendarMonth ? 12 : 0,
    compliance.minPerYear ?? 0,
    compliance.maxGapMonths ? Math.ceil(12 / compliance.maxGapMonths) : 0,
  ];
  const most = Math.max(...needs);
  return most === 0 ? null : most;
}

/**
 * The year a stored compliance finding belongs to: the year of its period's last day (`to`), which is the
 * year whose check raised it (domain/compliance.ts). A Cabina di Regia gap that began at a November meeting
 * and ran out in March is the next year's breach, though its period key ("2026-11-04/2027-03-04") begins
 * with the earlier year.
 */
function findingYear(data: unknown): number {
  const f = data as { to?: string; period?: string } | null;
  return Number(String(f?.to ?? f?.period).slice(0, 4));
}

/** `now`: when the report is read, to tell the verbali overdue and still missing (default: the clock). */
export async function monitoringReport(
  db: Database,
  query: { ambitoId: string; year: number; now?: Date },
): Promise<MonitoringReport> {
  const { ambitoId, year } = query;
  const today = dayInRome(query.now ?? new Date());
  const yearRange = romeDayRange(`${year}-01-01`, `${year}-12-31`);
  const [ambito, bodies, audits, feasts] = await Promise.all([
    db.ambito.findUniqueOrThrow({ where: { id: ambitoId } }),
    db.body.findMany({
      where: { ambitoId, active: true },
      orderBy: { name: 'asc' },
      include: { meetings: { where: { startsAt: yearRange }, include: { verbale: true } } },
    }),
    db.auditEvent.findMany({
      where: { entity: 'body', action: { in: ['compliance.breach', 'compliance.warning'] } },
      orderBy: { at: 'asc' },
    }),
    db.localFeastDay.findMany({ where: { ambitoId, comuneId: null } }),
  ]);
  const report: MonitoringReport = {
    ambito: { id: ambito.id, name: ambito.name },
    year,
    bodies: [],
    deliverables: [],
  };

  for (const body of bodies) {
    const rules = BodyRules.parse(body.rules);
    const held = body.meetings.filter((m) => m.status === 'held' || m.status === 'closed');
    const verbali = held.flatMap((m) => (rules.minutes.required && m.verbale ? [m.verbale] : []));
    const lateness = verbali.flatMap((v) =>
      v.submittedAt ? [daysBetween(civilOfColumn(v.dueDate), dayInRome(v.submittedAt))] : [],
    );
    // A verbale past its due day and still not submitted is late too, and the latest of all: counting only
    // the late submissions made a missing verbale look better than one handed in a day late.
    const overdue = verbali.flatMap((v) =>
      !v.submittedAt && civilOfColumn(v.dueDate) < today
        ? [daysBetween(civilOfColumn(v.dueDate), today)]
        : [],
    );
    const convened = body.meetings.filter((m) => m.convenedAt !== null);
    const findings = audits.filter((a) => a.entityId === body.id && findingYear(a.data) === year);
    report.bodies.push({
      bodyId: body.id,
      body: body.name,
      required: requiredMeetings(rules.compliance),
      held: held.length,
      cancelled: body.meetings.filter((m) => m.status === 'cancelled').length,
      minutes: {
        due: rules.minutes.required ? held.length : 0,
        submitted: lateness.length,
        circulated: verbali.filter((v) => v.circulatedAt !== null).length,
        approved: verbali.filter((v) => v.approvedAt !== null).length,
        late: lateness.filter((d) => d > 0).length + overdue.length,
        maxDaysLate: Math.max(0, ...lateness, ...overdue),
      },
      convocations: {
        sent: convened.length,
        onTime: convened.filter(
          (m) =>
            checkNotice(m.convenedAt!.toISOString(), m.startsAt.toISOString(), rules.notice, m.urgent).ok,
        ).length,
      },
      breaches: findings
        .filter((a) => a.action === 'compliance.breach')
        .map((a) => {
          const f = a.data as { period: string; message: string };
          return { period: f.period, message: f.message };
        }),
      warnings: findings.filter((a) => a.action === 'compliance.warning').length,
    });
  }

  const holidays = new HolidayCalendar(feasts.map(({ month, day: d, name }) => ({ month, day: d, name })));
  const deliverables = await db.deliverable.findMany({
    where: { ambitoId, dueDate: dateColumnsOfYear(year) },
    orderBy: { dueDate: 'asc' },
    include: { events: { orderBy: { at: 'asc' } } },
  });
  for (const d of deliverables) {
    const stages: StageMonitoring[] = [];
    for (const stage of STAGES) {
      const dueDate = (await deliverableStageDueDate(db, holidays, { ...d, stage })) as CivilDate;
      const done = d.events.find((e) => e.kind === 'submitted' && e.stage === stage);
      const completedOn = done ? dayInRome(done.at) : null;
      stages.push({
        stage,
        dueDate,
        completedOn,
        daysLate: completedOn ? daysBetween(dueDate, completedOn) : null,
      });
    }
    const escalations = d.events.filter((e) => e.kind === 'escalated');
    report.deliverables.push({
      deliverableId: d.id,
      kind: d.kind,
      referencePeriod: d.referencePeriod,
      dueDate: civilOfColumn(d.dueDate),
      status: d.status,
      stages,
      extensions: d.events.filter((e) => e.kind === 'deadline_extended').length,
      escalations: escalations.length,
      maxEscalationLevel: Math.max(
        0,
        ...escalations.map((e) => (e.data as { level?: number } | null)?.level ?? 0),
      ),
    });
  }
  return report;
}
