/**
 * Compliance checks over held and planned meetings (2018 Accordo di Programma):
 * - `everyCalendarMonth`: a meeting in every calendar month (Comitato Ristretto, "di norma mensile", 000:L367);
 * - `minPerYear` N: at least N meetings a year (sub-ambiti, 4, 000:L735-737) and on pace during the year: by
 *   the end of quarter q at least ceil(N*q/4). The pace is ours: it warns before a quarter ends, and only
 *   the year can be breached, since the agreement counts the year;
 * - `maxGapMonths` G: never more than G months between meetings (Cabina di Regia, "almeno quadrimestrale",
 *   000:L856-858), counting from the last meeting of the previous year and, at the end, from the last meeting
 *   to now. With no earlier meeting known, the gap runs from 1 January.
 *
 * What counts: a held meeting, or a planned one that has not started yet. A planned meeting in the past that
 * was never marked held does not count; a cancelled one never does.
 *
 * Severity: a period already over without enough meetings is a `breach` (a quarter behind pace excepted:
 * nothing); a period not over whose meetings (held or planned) fall short is a `warning` once its end is
 * within `warnWithinDays` (the annual minimum warns all year, since the year's plan is known). A planned
 * meeting that leaves a gap over G months is a warning until the limit passes.
 */
import type { PlanBody } from './plan';
import {
  CivilDate,
  civil,
  dateOf,
  daysBetween,
  endOfMonth,
  formatDate,
  instant,
  Instant,
  instantMs,
} from './time';

export interface MeetingRecord {
  bodyId: string;
  start: Instant;
  status: 'held' | 'planned' | 'cancelled';
}

export interface Finding {
  /** Same names as the compliance settings they check; on-pace findings are `min_per_year` with a quarter. */
  rule: 'every_calendar_month' | 'min_per_year' | 'max_gap';
  bodyId: string;
  /** Stable key of the period, so a finding is reported once: "2027-03", "2027-Q2", "2027", "2027-03-10/2027-07-10". */
  period: string;
  from: CivilDate;
  to: CivilDate;
  severity: 'warning' | 'breach';
  /** Italian, for the coordinator. */
  message: string;
}

export interface ComplianceOptions {
  year: number;
  now: Instant;
  /** ASSUMPTION: warn 14 days before the end of a month or quarter that is falling short. */
  warnWithinDays?: number;
}

export const DEFAULT_WARN_WITHIN_DAYS = 14;

/** Month names as Italian dates write them, January first. */
export const ITALIAN_MONTHS = [
  'gennaio',
  'febbraio',
  'marzo',
  'aprile',
  'maggio',
  'giugno',
  'luglio',
  'agosto',
  'settembre',
  'ottobre',
  'novembre',
  'dicembre',
];

/** "31 marzo 2027" */
export function italianDate(date: CivilDate): string {
  const d = civil(date);
  return `${d.day} ${ITALIAN_MONTHS[d.month - 1]} ${d.year}`;
}

/** All findings for the bodies over `year`, in body order then period order. */
export function checkCompliance(
  bodies: readonly Pick<PlanBody, 'id' | 'name' | 'rules'>[],
  meetings: readonly MeetingRecord[],
  options: ComplianceOptions,
): Finding[] {
  const { year } = options;
  if (!Number.isInteger(year) || year < 1977 || year > 9999) throw new RangeError(`Anno non valido: ${year}`);
  const warn = options.warnWithinDays ?? DEFAULT_WARN_WITHIN_DAYS;
  if (!Number.isInteger(warn) || warn < 0) throw new RangeError(`Preavviso non valido: ${warn}`);
  const nowMs = instantMs(options.now);
  const today = dateOf(options.now);
  for (const m of meetings) instant(m.start);

  const findings: Finding[] = [];
  for (const body of bodies) {
    // Dates of the meetings that count, sorted.
    const dates = meetings
      .filter(
        (m) =>
          m.bodyId === body.id &&
          (m.status === 'held' || (m.status === 'planned' && instantMs(m.start) >= nowMs)),
      )
      .map((m) => dateOf(m.start))
      .sort();
    const ctx: Ctx = { body, dates, year, today, warn, findings };
    const c = body.rules.compliance;
    if (c.everyCalendarMonth) checkMonths(ctx);
    if (c.minPerYear !== undefined && c.minPerYear > 0) checkPace(ctx, c.minPerYear);
    if (c.maxGapMonths !== undefined) checkGaps(ctx, c.maxGapMonths);
  }
  return findings;
}

interface Ctx {
  body: Pick<PlanBody, 'id' | 'name'>;
  dates: CivilDate[];
  year: number;
  today: CivilDate;
  warn: number;
  findings: Finding[];
}

const between = (dates: CivilDate[], from: CivilDate, to: CivilDate) =>
  dates.filter((d) => d >= from && d <= to).length;

/** Breach when the period is over; warning when its end is near (or `alwaysWarn`); nothing otherwise. */
function severityFor(ctx: Ctx, end: CivilDate, alwaysWarn = false): Finding['severity'] | undefined {
  if (ctx.today > end) return 'breach';
  return alwaysWarn || daysBetween(ctx.today, end) <= ctx.warn ? 'warning' : undefined;
}

function checkMonths(ctx: Ctx): void {
  for (let month = 1; month <= 12; month++) {
    const from = `${ctx.year}-${String(month).padStart(2, '0')}-01`;
    const to = endOfMonth(ctx.year, month);
    if (between(ctx.dates, from, to) > 0) continue;
    const severity = severityFor(ctx, to);
    if (!severity) continue;
    const when = `${ITALIAN_MONTHS[month - 1]} ${ctx.year}`;
    ctx.findings.push({
      rule: 'every_calendar_month',
      bodyId: ctx.body.id,
      period: from.slice(0, 7),
      from,
      to,
      severity,
      message:
        severity === 'breach'
          ? `${ctx.body.name}: nessuna riunione nel mese di ${when} (è prevista una riunione ogni mese).`
          : `${ctx.body.name}: nessuna riunione prevista nel mese di ${when}, che termina il ${italianDate(to)}.`,
    });
  }
}

function checkPace(ctx: Ctx, perYear: number): void {
  const from = `${ctx.year}-01-01`;
  for (let q = 1; q <= 4; q++) {
    const to = endOfMonth(ctx.year, q * 3);
    const required = Math.ceil((perYear * q) / 4);
    const count = between(ctx.dates, from, to);
    if (count >= required) continue;
    // The agreement asks for "un numero minimo di 4 incontri all'anno" (000:L737), not for a spread over the
    // year: four meetings from April on keep it. So a quarter behind pace only warns before it ends, while
    // it can be caught up; once over it is no breach, and the year's own warning says what the plan lacks.
    if (q < 4 && ctx.today > to) continue;
    const severity = severityFor(ctx, to, q === 4);
    if (!severity) continue;
    const done =
      severity === 'breach'
        ? count === 1
          ? '1 riunione tenuta'
          : `${count} riunioni tenute`
        : count === 1
          ? '1 riunione tenuta o prevista'
          : `${count} riunioni tenute o previste`;
    ctx.findings.push({
      rule: 'min_per_year',
      bodyId: ctx.body.id,
      period: q === 4 ? String(ctx.year) : `${ctx.year}-Q${q}`,
      from,
      to,
      severity,
      message:
        q === 4
          ? `${ctx.body.name}: ${done} nel ${ctx.year}, ne sono richieste almeno ${perYear}.`
          : `${ctx.body.name}: ${done} entro il ${italianDate(to)}, ne servono ${required} per arrivare a ${perYear} nell'anno.`,
    });
  }
}

function checkGaps(ctx: Ctx, months: number): void {
  const yearStart = `${ctx.year}-01-01`;
  const yearEnd = `${ctx.year}-12-31`;
  const before = ctx.dates.filter((d) => d < yearStart);
  const inYear = ctx.dates.filter((d) => d >= yearStart && d <= yearEnd);
  const points = [before.at(-1) ?? yearStart, ...inYear];
  // With no meeting known before the year, the first gap runs from 1 January.
  const since = (i: number) =>
    i === 0 && before.length === 0
      ? "dall'inizio dell'anno (nessuna riunione precedente nota)"
      : `dalla riunione del ${italianDate(points[i]!)}`;
  const limitOf = (d: CivilDate) => formatDate(civil(d).plus({ months }));
  const push = (from: CivilDate, limit: CivilDate, severity: Finding['severity'], message: string) =>
    ctx.findings.push({
      rule: 'max_gap',
      bodyId: ctx.body.id,
      period: `${from}/${limit}`,
      from,
      to: limit,
      severity,
      message,
    });

  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const limit = limitOf(a);
    if (b <= limit) continue;
    const severity = ctx.today > limit ? 'breach' : 'warning';
    push(
      a,
      limit,
      severity,
      `${ctx.body.name}: ${since(i - 1)} ${severity === 'breach' ? 'si è arrivati' : 'si arriverebbe'} al ${italianDate(b)}, oltre ${months} mesi (limite ${italianDate(limit)}).`,
    );
  }
  const last = points.at(-1)!;
  const limit = limitOf(last);
  if (limit > yearEnd) return; // next year's check covers it
  const severity = severityFor(ctx, limit);
  if (!severity) return;
  push(
    last,
    limit,
    severity,
    severity === 'breach'
      ? `${ctx.body.name}: ${since(points.length - 1)} sono passati più di ${months} mesi senza riunioni (limite ${italianDate(limit)}).`
      : `${ctx.body.name}: ${since(points.length - 1)} nessuna riunione prevista entro il ${italianDate(limit)}, limite di ${months} mesi.`,
  );
}
