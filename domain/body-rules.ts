/**
 * The rules of a governance body, as the coordinator configures them.
 *
 * One zod schema is the single definition: the database stores a body's rules as JSON validated by it,
 * the API returns it, the calendar and the workflows read it. Defaults come from the 2018 Accordo di
 * Programma (see shared/domain/governance.md); where the sources are silent the default is ours and
 * says so in the seed.
 */
import { z } from 'zod';

/** ISO weekday: 1 = lunedì … 7 = domenica. */
export const IsoWeekday = z.number().int().min(1).max(7);

/** "HH:mm" wall-clock time in Europe/Rome. */
export const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'atteso un orario HH:mm');

/**
 * What to do when a planned occurrence falls on a public holiday or a local feast:
 * move it to the same weekday of the following week, to the next or the previous working day, or drop it.
 */
export const HolidayPolicy = z.enum(['next-week', 'next-working-day', 'previous-working-day', 'skip']);

/** "The nth <weekday> of each listed month at <time>", e.g. the second Tuesday of every month at 18:00. */
export const Cadence = z.object({
  months: z.array(z.number().int().min(1).max(12)).min(1),
  /** 1..4, or -1 for the last such weekday of the month. */
  nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]),
  weekday: IsoWeekday,
  time: WallTime,
  durationMinutes: z.number().int().min(15).max(600),
  onHoliday: HolidayPolicy,
});

export const Notice = z.object({
  /** Giorni liberi between the day the convocation leaves and the meeting day, both excluded. */
  ordinaryFreeDays: z.number().int().min(0).max(60),
  /** Urgent sessions: hours between the convocation and the start of the meeting. */
  urgentHours: z.number().int().min(1).max(240),
});

export const Minutes = z.object({
  required: z.boolean(),
  /** Calendar days after the meeting within which the verbale must be submitted. */
  deadlineDays: z.number().int().min(1).max(120),
});

/** Compliance targets that the monitor checks; each is optional because most bodies have none. */
export const Compliance = z.object({
  /** A meeting in every calendar month (Comitato Ristretto, "di norma mensile"). */
  everyCalendarMonth: z.boolean().default(false),
  minPerYear: z.number().int().min(0).max(52).optional(),
  maxGapMonths: z.number().int().min(1).max(24).optional(),
});

/**
 * Who must be present for a valid session. The seeds contain no quorum rule: the default is a simple
 * majority of the seats, a delegate counting for the seat holder, to be confirmed against the ATS regolamento.
 */
export const Quorum = z.object({
  numerator: z.number().int().min(1),
  denominator: z.number().int().min(1),
  /** True: more than numerator/denominator of the seats; false: at least that share. */
  strictlyMoreThan: z.boolean(),
  delegatesCount: z.boolean(),
});

export const BodyRules = z.object({
  cadence: Cadence.nullable(),
  notice: Notice,
  minutes: Minutes,
  compliance: Compliance,
  quorum: Quorum,
});

/**
 * A change to some of a body's rules, by section: a section given replaces the current one whole (so it is
 * checked whole), the sections left out stay as they are. Both a coordinator's edit and a series' stored
 * override have this shape.
 */
export const BodyRulesChange = BodyRules.partial().strict();

/** The rules that hold once `change` is applied over `current` (both as stored: JSON of unknown shape). */
export function applyRulesChange(current: unknown, change: unknown): BodyRules {
  return BodyRules.parse({ ...(current as object), ...(change as object) });
}

export type IsoWeekday = z.infer<typeof IsoWeekday>;
export type HolidayPolicy = z.infer<typeof HolidayPolicy>;
export type Cadence = z.infer<typeof Cadence>;
export type Notice = z.infer<typeof Notice>;
export type Minutes = z.infer<typeof Minutes>;
export type Compliance = z.infer<typeof Compliance>;
export type Quorum = z.infer<typeof Quorum>;
export type BodyRules = z.infer<typeof BodyRules>;
export type BodyRulesChange = z.infer<typeof BodyRulesChange>;
