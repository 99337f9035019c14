/**
 * Convocation notice.
 *
 * Ordinary sessions: the convocation must leave at least N "giorni liberi" before the meeting, i.e. N whole
 * calendar days strictly between the sending day and the meeting day (both excluded), counted on Europe/Rome
 * dates. Holidays and weekends between them count as free days: the rule is about time to read, as for
 * municipal councils. Urgent sessions: at least M hours between the convocation and the start.
 *
 * Sending policy (ours, configurable): automatic convocations leave only on working days, at a fixed hour
 * (default 09:00 Europe/Rome), so nobody receives a convocation at night or on a Sunday and the office can
 * correct a mistake the same morning. The latest sending moment is therefore the send hour of the last
 * working day that still leaves N free days. Urgent convocations ignore the policy: they leave when decided.
 */
import type { Notice } from './body-rules';
import type { HolidayCalendar } from './holidays';
import { addDays, atRome, dateOf, daysBetween, formatInstant, instant, type Instant } from './time';

export interface SendPolicy {
  /** "HH:mm" Europe/Rome: when automatic convocations leave. */
  sendTime: string;
  /** True: convocations leave on working days only (not Saturday/Sunday, not a holiday). */
  workingDaysOnly: boolean;
}

/** ASSUMPTION: convocations leave at 09:00 on working days. */
export const DEFAULT_SEND_POLICY: SendPolicy = { sendTime: '09:00', workingDaysOnly: true };

/** Giorni liberi between the day a convocation left and the meeting day, both excluded (may be negative). */
export function freeDaysBetween(sentAt: Instant, meetingStart: Instant): number {
  return daysBetween(dateOf(sentAt), dateOf(meetingStart)) - 1;
}

/** The latest moment a convocation may leave for a meeting starting at `meetingStart`. */
export function latestConvocation(
  meetingStart: Instant,
  notice: Notice,
  holidays: HolidayCalendar,
  options: { urgent?: boolean; policy?: SendPolicy } = {},
): Instant {
  const start = instant(meetingStart);
  if (options.urgent) return formatInstant(start.minus({ hours: notice.urgentHours }));
  const policy = options.policy ?? DEFAULT_SEND_POLICY;
  let day = addDays(dateOf(meetingStart), -(notice.ordinaryFreeDays + 1));
  if (policy.workingDaysOnly) day = holidays.previousWorkingDay(day);
  return formatInstant(atRome(day, policy.sendTime));
}

export interface NoticeCheck {
  ok: boolean;
  /** Ordinary: giorni liberi given / required. Urgent: whole hours given / required. */
  given: number;
  required: number;
}

/** Whether a convocation sent at `sentAt` respected the notice for a meeting at `meetingStart`. */
export function checkNotice(
  sentAt: Instant,
  meetingStart: Instant,
  notice: Notice,
  urgent = false,
): NoticeCheck {
  if (urgent) {
    const given = Math.floor(instant(meetingStart).diff(instant(sentAt), 'hours').hours);
    return { ok: given >= notice.urgentHours, given, required: notice.urgentHours };
  }
  const given = freeDaysBetween(sentAt, meetingStart);
  return { ok: given >= notice.ordinaryFreeDays, given, required: notice.ordinaryFreeDays };
}
