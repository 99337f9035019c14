/**
 * Reminders before a due date and the escalation ladder after it is missed.
 *
 * The seeds name no ladder (governance.md §4, §7.3: inferred from the reporting lines); this default follows
 * the design brief: reminders 30, 14, 7 and 1 days before; level 1 the day after (owner and Responsabile UdP),
 * level 2 a week after (Comitato Ristretto coordinator, plus an item on the next Comitato agenda), level 3
 * three weeks after (Presidente dell'Assemblea and Sovraintendenza).
 *
 * Messages leave at the send hour on working days: a reminder that would fall on a weekend or holiday moves
 * earlier (it must still come before the deadline), an escalation moves later (never before its day).
 */
import { z } from 'zod';
import type { HolidayCalendar } from './holidays';
import { BodyKind } from './kinds';
import { DEFAULT_SEND_POLICY, type SendPolicy } from './notice';
import { addDays, atRome, CivilDate, civil, formatInstant, type Instant } from './time';

/** Who is told, as roles: the people behind them are resolved from the seats of the ambito. */
export const EscalationRole = z.enum([
  'owner',
  'responsabile_udp',
  'coordinatore_comitato_ristretto',
  'presidente_assemblea',
  'sovraintendenza',
]);
export type EscalationRole = z.infer<typeof EscalationRole>;

export const EscalationLevel = z.object({
  level: z.number().int().min(1),
  daysAfterDue: z.number().int().min(1).max(365),
  notify: z.array(EscalationRole).min(1),
  /** Add an item about the overdue deliverable to the next meeting of this body. */
  agendaItemFor: BodyKind.optional(),
});
export type EscalationLevel = z.infer<typeof EscalationLevel>;

export const EscalationLadder = z
  .object({
    reminderDaysBefore: z.array(z.number().int().min(0).max(365)),
    /** Who receives the reminders. */
    remind: z.array(EscalationRole).min(1),
    levels: z.array(EscalationLevel).min(1),
  })
  .refine(
    (l) =>
      l.levels.every(
        (x, i) => x.level === i + 1 && (i === 0 || x.daysAfterDue > l.levels[i - 1]!.daysAfterDue),
      ),
    'i livelli devono essere 1, 2, 3… con giorni di ritardo crescenti',
  );
export type EscalationLadder = z.infer<typeof EscalationLadder>;

/** ASSUMPTION: the default ladder (the seeds name none). */
export const DEFAULT_ESCALATION_LADDER: EscalationLadder = {
  reminderDaysBefore: [30, 14, 7, 1],
  remind: ['owner'],
  levels: [
    { level: 1, daysAfterDue: 1, notify: ['owner', 'responsabile_udp'] },
    {
      level: 2,
      daysAfterDue: 7,
      notify: ['coordinatore_comitato_ristretto'],
      agendaItemFor: 'comitato_ristretto',
    },
    { level: 3, daysAfterDue: 21, notify: ['presidente_assemblea', 'sovraintendenza'] },
  ],
};

export interface EscalationStep {
  kind: 'reminder' | 'escalation';
  /** 0 for reminders. */
  level: number;
  /** Days from the due date by the rule (negative before it), before any working-day shift. */
  offsetDays: number;
  /** The day the step happens, after the working-day shift. */
  date: CivilDate;
  /** The send hour of that day. */
  at: Instant;
  notify: EscalationRole[];
  agendaItemFor?: BodyKind;
}

export interface EscalationOptions {
  holidays: HolidayCalendar;
  ladder?: EscalationLadder;
  policy?: SendPolicy;
  /** The day the deliverable was completed: no step after it happens. */
  completedOn?: CivilDate;
}

/** Every reminder and escalation step for a due date, in time order. */
export function escalationSteps(dueDate: CivilDate, options: EscalationOptions): EscalationStep[] {
  civil(dueDate);
  const ladder = parseLadder(options.ladder ?? DEFAULT_ESCALATION_LADDER);
  const policy = options.policy ?? DEFAULT_SEND_POLICY;
  const shift = (day: CivilDate, earlier: boolean): CivilDate => {
    if (!policy.workingDaysOnly) return day;
    return earlier ? options.holidays.previousWorkingDay(day) : options.holidays.nextWorkingDay(day);
  };
  const step = (
    kind: EscalationStep['kind'],
    level: number,
    offsetDays: number,
    notify: EscalationRole[],
    agendaItemFor?: BodyKind,
  ): EscalationStep => {
    const date = shift(addDays(dueDate, offsetDays), kind === 'reminder');
    return {
      kind,
      level,
      offsetDays,
      date,
      at: formatInstant(atRome(date, policy.sendTime)),
      notify,
      ...(agendaItemFor ? { agendaItemFor } : {}),
    };
  };
  const steps = [
    ...[...new Set(ladder.reminderDaysBefore)]
      .sort((a, b) => b - a)
      .map((days) => step('reminder', 0, -days, ladder.remind)),
    ...ladder.levels.map((l) => step('escalation', l.level, l.daysAfterDue, l.notify, l.agendaItemFor)),
  ];
  const done = options.completedOn;
  if (done === undefined) return steps;
  civil(done);
  return steps.filter((s) => s.date <= done);
}

/** The escalation level in force on `date` (0 = not escalated, including after completion). */
export function escalationLevelOn(dueDate: CivilDate, date: CivilDate, options: EscalationOptions): number {
  civil(date);
  if (options.completedOn !== undefined && options.completedOn <= date) return 0;
  return escalationSteps(dueDate, options)
    .filter((s) => s.kind === 'escalation' && s.date <= date)
    .reduce((max, s) => Math.max(max, s.level), 0);
}

/** The steps that happen on `date`. */
export function escalationStepsOn(
  dueDate: CivilDate,
  date: CivilDate,
  options: EscalationOptions,
): EscalationStep[] {
  civil(date);
  return escalationSteps(dueDate, options).filter((s) => s.date === date);
}

function parseLadder(ladder: EscalationLadder): EscalationLadder {
  const parsed = EscalationLadder.safeParse(ladder);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`Scala di sollecito non valida: ${issue?.path.join('.')} ${issue?.message}`.trim());
  }
  return parsed.data;
}
