/**
 * What people do in a simulated period. Without a scenario everybody is on time: invitees answer the day
 * after the convocation, secretaries submit minutes (approved at once) the day after the meeting, and the
 * Ufficio di Piano, the Comitato and the Assemblea complete each deliverable stage ten days before it is
 * due. A scenario changes that behaviour for named meetings or deliverables, and schedules changes.
 *
 * Meetings are named by body code and the day the rules planned them for ("comitato-ristretto",
 * "2027-03-02"); deliverables by kind and the year they cover ("report_annuale", 2026); people by the seat
 * they hold. Everybody attends unless the scenario scripts an absence or a delegate: the secretary takes
 * the roll call on the meeting's day.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BodyRulesChange, CivilDate, DeliverableKind, Instant } from '../../domain/index';

const MeetingRef = { body: z.string().min(1), meeting: CivilDate };
const DeliverableRef = { deliverable: DeliverableKind, year: z.number().int() };
/** A seat of the meeting's body, by its code ("sindaco:pandino", "direttore-pipss-ats"); its holder acts. */
const SeatRef = { ...MeetingRef, seat: z.string().min(1) };

export const ScenarioEvent = z.discriminatedUnion('type', [
  /** The verbale arrives `days` after the meeting instead of the next day. */
  z.object({ type: z.literal('lateMinutes'), ...MeetingRef, days: z.number().int().min(1).max(365) }),
  /**
   * The seat's holder does not come. Justified: they answer the convocation "assente" (an apology);
   * otherwise they answer "presente" and simply are not there at the roll call.
   */
  z.object({ type: z.literal('absence'), ...SeatRef, justified: z.boolean().default(false) }),
  /** The seat's holder sends someone for this meeting only: answered "delega", named at the roll call. */
  z.object({ type: z.literal('delegate'), ...SeatRef, delegate: z.string().trim().min(1) }),
  /** Nobody answers the convocation: the reminder goes to everyone. */
  z.object({ type: z.literal('noAnswers'), ...MeetingRef }),
  /** Every stage of the deliverable is completed `days` after its due date instead of ten days before. */
  z.object({ type: z.literal('lateDeliverable'), ...DeliverableRef, days: z.number().int().min(1).max(365) }),
  z.object({ type: z.literal('waive'), at: CivilDate, ...DeliverableRef, reason: z.string().min(1) }),
  z.object({
    type: z.literal('extend'),
    at: CivilDate,
    ...DeliverableRef,
    dueAt: Instant,
    reason: z.string().min(1),
  }),
  z.object({
    type: z.literal('reschedule'),
    at: CivilDate,
    ...MeetingRef,
    startsAt: Instant,
    endsAt: Instant,
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('cancel'), at: CivilDate, ...MeetingRef, reason: z.string().min(1) }),
  z.object({
    type: z.literal('addendum'),
    at: CivilDate,
    ...MeetingRef,
    items: z.array(z.object({ title: z.string().min(1), description: z.string().optional() })).min(1),
  }),
  /** The coordinator changes a body's rules (a partial BodyRules merged over the current ones). */
  z.object({
    type: z.literal('changeRules'),
    at: CivilDate,
    body: z.string().min(1),
    rules: BodyRulesChange,
  }),
]);
export type ScenarioEvent = z.infer<typeof ScenarioEvent>;

export const Scenario = z.object({
  description: z.string().optional(),
  events: z.array(ScenarioEvent).default([]),
});
export type Scenario = z.infer<typeof Scenario>;

/** Reads and validates a scenario file; the error names the file and the offending field. */
export function loadScenario(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `Scenario ${path} illeggibile: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const parsed = Scenario.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Scenario ${path} non valido: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
