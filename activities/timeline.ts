/**
 * The instants a workflow sleeps until, computed from the domain rules. Pure, so it is unit-tested on its
 * own; activities call it with what they read from the database and hand the result to the workflow.
 *
 * Every automatic message leaves at the office's send hour on a working day (DEFAULT_SEND_POLICY), so no
 * mayor receives a reminder on a Sunday or on Ferragosto: reminders move earlier, escalations later.
 */
import {
  DEFAULT_SEND_POLICY,
  addDays,
  atRome,
  civil,
  dateOf,
  formatInstant,
  instantMs,
  latestConvocation,
  type BodyRules,
  type CivilDate,
  type HolidayCalendar,
  type Instant,
} from '../domain/index';

const sendAt = (day: CivilDate): Instant => formatInstant(atRome(day, DEFAULT_SEND_POLICY.sendTime));

/** The end of a civil day in Europe/Rome: "due on 30 April" means until 23:59:59 that day. */
export const endOfDay = (day: CivilDate): Instant => formatInstant(civil(day).endOf('day').startOf('second'));

export interface MeetingTimeline {
  convocationAt: Instant;
  /** When the convener and the segreteria are asked to prepare the agenda; null for urgent sessions. */
  agendaReminderAt: Instant | null;
  reminderAt: Instant | null;
  minutesDueAt: Instant | null;
}

/**
 * Working days between the agenda e-mail and the convocation deadline's day. An office practice, not a rule
 * of any body (no seed sets it), so it is not in the body rules: three working days leave the convener a
 * few days to collect items and documents, and the segreteria one more to put them in.
 */
export const AGENDA_REMINDER_WORKING_DAYS = 3;

/**
 * When the convocation leaves, when its agenda is to be prepared, when non-responders are reminded, when the
 * verbale is due.
 */
export function meetingTimeline(
  meeting: { startsAt: string; urgent: boolean },
  rules: BodyRules,
  holidays: HolidayCalendar,
): MeetingTimeline {
  const convocationAt = latestConvocation(meeting.startsAt, rules.notice, holidays, {
    urgent: meeting.urgent,
  });
  let agendaDay = dateOf(convocationAt);
  for (let i = 0; i < AGENDA_REMINDER_WORKING_DAYS; i++)
    agendaDay = holidays.previousWorkingDay(addDays(agendaDay, -1));
  const meetingDay = dateOf(meeting.startsAt);
  // Two working days before the meeting day, at the send hour.
  const oneBefore = holidays.previousWorkingDay(addDays(meetingDay, -1));
  const reminder = sendAt(holidays.previousWorkingDay(addDays(oneBefore, -1)));
  return {
    convocationAt,
    // An urgent session is convened within hours of being called: there is no time to remind anyone.
    agendaReminderAt: meeting.urgent ? null : sendAt(agendaDay),
    reminderAt: instantMs(reminder) > instantMs(convocationAt) ? reminder : null,
    minutesDueAt: rules.minutes.required ? endOfDay(addDays(meetingDay, rules.minutes.deadlineDays)) : null,
  };
}

/**
 * The next compliance check: the first working day from the 1st or the 17th after `at`, at the send hour.
 * Twice a month, so a month falling short is seen inside the domain's warning window (its last 14 days):
 * the 17th is 14 days before the end of a 31-day month, where the 16th, 15 days before, fell outside it and
 * the month went from no warning straight to a breach.
 */
export function nextComplianceCheck(at: string, holidays: HolidayCalendar): Instant {
  const day = civil(dateOf(at));
  const anchor = day.day < 17 ? day.set({ day: 17 }) : day.plus({ months: 1 }).startOf('month');
  const check = sendAt(holidays.nextWorkingDay(anchor.toISODate() as CivilDate));
  return instantMs(check) > instantMs(at)
    ? check
    : nextComplianceCheck(formatInstant(anchor.plus({ days: 1 })), holidays);
}
