/**
 * The Organi page's rules form: the stored rules as the form's fields, the fields back as a rules change
 * (the same shape PATCH /api/v1/bodies/:id/rules takes), and the next occurrences a change would give.
 * Field names are the rules' paths (`notice.ordinaryFreeDays`), so the schema's errors land on their field.
 */
import {
  HolidayCalendar,
  ITALIAN_MONTHS,
  latestConvocation,
  rulesOrderProblems,
  seriesOccurrences,
  type BodyRules,
  type CivilDate,
  type PlanBody,
} from '../../domain/index';
import { addDays } from '../../domain/time';
import { formatDate } from '../../notifications/format';
import { DELIVERABLE_KIND } from '../layout/labels';

/** The months the form lists, January first. */
export const MONTHS = ITALIAN_MONTHS;
export const WEEKDAYS = ['lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato', 'domenica'];
export const NTH: Record<string, string> = {
  '1': 'primo',
  '2': 'secondo',
  '3': 'terzo',
  '4': 'quarto',
  '-1': 'ultimo',
};
export const ON_HOLIDAY: Record<string, string> = {
  'next-week': 'alla stessa giornata della settimana dopo',
  'next-working-day': 'al giorno lavorativo successivo',
  'previous-working-day': 'al giorno lavorativo precedente',
  skip: 'la seduta salta',
};

/** "il secondo martedì di gennaio, marzo … alle 18:00", or null without a cadence. */
export function describeCadence(rules: BodyRules): string | null {
  const c = rules.cadence;
  if (!c) return null;
  const months = c.months.length === 12 ? 'ogni mese' : c.months.map((m) => MONTHS[m - 1]).join(', ');
  return `${NTH[String(c.nth)]} ${WEEKDAYS[c.weekday - 1]} (${months}) alle ${c.time}, ${c.durationMinutes} minuti`;
}

export function rulesToValues(rules: BodyRules): Record<string, string> {
  const c = rules.cadence;
  return {
    'cadence.enabled': c ? 'on' : '',
    'cadence.nth': c ? String(c.nth) : '2',
    'cadence.weekday': c ? String(c.weekday) : '2',
    'cadence.time': c?.time ?? '18:00',
    'cadence.durationMinutes': String(c?.durationMinutes ?? 120),
    'cadence.onHoliday': c?.onHoliday ?? 'next-week',
    'notice.ordinaryFreeDays': String(rules.notice.ordinaryFreeDays),
    'notice.urgentHours': String(rules.notice.urgentHours),
    'minutes.required': rules.minutes.required ? 'on' : '',
    'minutes.deadlineDays': String(rules.minutes.deadlineDays),
    'quorum.numerator': String(rules.quorum.numerator),
    'quorum.denominator': String(rules.quorum.denominator),
    'quorum.strictlyMoreThan': rules.quorum.strictlyMoreThan ? 'on' : '',
    'quorum.delegatesCount': rules.quorum.delegatesCount ? 'on' : '',
  };
}

/** The months ticked in a submitted form (a checkbox sent once is a string, several times an array). */
export function tickedMonths(body: Record<string, unknown>): number[] {
  const raw = body['cadence.months'];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number);
}

/** A form number: empty stays missing (the schema says "obbligatorio"), anything else is read as typed. */
const number = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : Number(value);

/** The form's fields as a rules change (cadence, notice, minutes, quorum; compliance is not in the form). */
export function valuesToChange(values: Record<string, string>, body: Record<string, unknown>) {
  const ticked = (name: string) => values[name] === 'on';
  return {
    cadence: ticked('cadence.enabled')
      ? {
          months: tickedMonths(body),
          nth: number(values['cadence.nth']),
          weekday: number(values['cadence.weekday']),
          time: values['cadence.time'],
          durationMinutes: number(values['cadence.durationMinutes']),
          onHoliday: values['cadence.onHoliday'],
        }
      : null,
    notice: {
      ordinaryFreeDays: number(values['notice.ordinaryFreeDays']),
      urgentHours: number(values['notice.urgentHours']),
    },
    minutes: { required: ticked('minutes.required'), deadlineDays: number(values['minutes.deadlineDays']) },
    quorum: {
      numerator: number(values['quorum.numerator']),
      denominator: number(values['quorum.denominator']),
      strictlyMoreThan: ticked('quorum.strictlyMoreThan'),
      delegatesCount: ticked('quorum.delegatesCount'),
    },
  };
}

/** The next `count` sessions the rules give from `today`, each with the day its convocation must leave. */
export function nextOccurrences(rules: BodyRules, today: CivilDate, holidays: HolidayCalendar, count = 6) {
  if (!rules.cadence) return [];
  const { occurrences } = seriesOccurrences(rules.cadence, today, addDays(today, 400), holidays);
  return occurrences
    .filter((o) => o.date >= today)
    .slice(0, count)
    .map((o) => ({
      start: o.start,
      shiftedBecause: o.shiftedBecause ?? null,
      convocation: latestConvocation(o.start, rules.notice, holidays),
    }));
}

/** How many years, from this one, a rules change is checked for review-order problems. */
const ORDER_CHECK_YEARS = 3;

/**
 * The plan problems `rules` would give `bodyId` with the ambito's other bodies, this year and the next two,
 * in Italian: an Assemblea convened before the Comitato Ristretto has reviewed what it approves
 * (domain/plan-order.ts). Shown with the preview and on the body's page, and returned by the JSON route.
 */
export function orderWarnings(
  bodies: readonly Pick<PlanBody, 'id' | 'kind' | 'name' | 'rules'>[],
  bodyId: string,
  rules: BodyRules,
  today: CivilDate,
  holidays: HolidayCalendar,
): string[] {
  const planned = bodies.map((b) => (b.id === bodyId ? { ...b, rules } : b));
  const first = Number(today.slice(0, 4));
  const years = Array.from({ length: ORDER_CHECK_YEARS }, (_, i) => first + i);
  const nameOf = new Map(bodies.map((b) => [b.id, b.name]));
  const day = (iso: string) => formatDate(iso, 'it');
  return rulesOrderProblems(planned, years, { holidays }, bodyId)
    .filter((p) => p.approval.start.slice(0, 10) >= today)
    .map((p) => {
      const session =
        `${DELIVERABLE_KIND[p.deliverable.kind]} ${p.deliverable.year} (approvazione: ` +
        `${nameOf.get(p.approval.bodyId)}, ${day(p.approval.start)}): la convocazione parte entro ` +
        day(p.approval.convocationDeadline);
      return p.review
        ? `${session}, prima dell'esame in ${nameOf.get(p.review.bodyId)} di ${day(p.review.start)}.`
        : `${session}, e nessuna seduta di esame la precede.`;
    });
}
