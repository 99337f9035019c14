/**
 * Calendar invites (iCalendar, RFC 5545/5546) that mail clients update in place instead of duplicating:
 * one UID per meeting for its whole life, SEQUENCE = the meeting's revision (raised on every change),
 * METHOD:REQUEST for invitations and updates, METHOD:CANCEL with STATUS:CANCELLED for cancellations.
 */
import ical, {
  ICalAlarmType,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ZONE } from './format';

/**
 * Europe/Rome since 1996 (EU rule: last Sunday of March 02:00 -> CEST, last Sunday of October 03:00 -> CET).
 * Written out because clients such as Outlook need a VTIMEZONE to place TZID times, and the generators
 * ical-generator suggests are not installed; the rule is stable, and calendar.test.ts checks it against the tz
 * database for every year from 1996 to 2100.
 */
export const EUROPE_ROME = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Rome',
  'X-LIC-LOCATION:Europe/Rome',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

const Party = z.object({ name: z.string().trim().min(1), email: z.email() });

export const InviteInput = z.object({
  method: z.enum(['REQUEST', 'CANCEL']),
  /** The meeting's database id: the UID is derived from it, so every message about it names the same event. */
  meetingId: z.string().min(1),
  /** The meeting's revision: 0 for the first convocation, raised by every reschedule/agenda change/cancel. */
  revision: z.number().int().min(0),
  summary: z.string().trim().min(1),
  description: z.string().optional(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  location: z.string().optional(),
  url: z.url().optional(),
  organizer: Party,
  attendee: Party,
  /** Minutes before the start at which clients remind the attendee. */
  alarmMinutesBefore: z.number().int().min(0).default(60),
  /** DTSTAMP; passed in so that a resend of the same outbox row is byte-identical. */
  stampedAt: z.iso.datetime({ offset: true }),
  /** Domain part of the UID, e.g. the public host name. */
  uidDomain: z.string().min(1),
});
export type InviteInput = z.input<typeof InviteInput>;

export function meetingUid(meetingId: string, uidDomain: string): string {
  return `meeting-${meetingId}@${uidDomain}`;
}

type EventData = Pick<
  z.output<typeof InviteInput>,
  'meetingId' | 'revision' | 'summary' | 'description' | 'startsAt' | 'endsAt' | 'location' | 'url'
>;

/** What an invite and a feed say alike about a meeting: UID, SEQUENCE, times in Europe/Rome, status. */
function eventFields(data: EventData, uidDomain: string, stampedAt: string, cancelled: boolean) {
  // luxon values, not Date: ical-generator formats a Date with TZID using the process's local zone.
  const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
  return {
    id: meetingUid(data.meetingId, uidDomain),
    sequence: data.revision,
    start: at(data.startsAt),
    end: at(data.endsAt),
    timezone: ZONE,
    stamp: DateTime.fromISO(stampedAt, { zone: 'utc' }),
    summary: data.summary,
    description: data.description ?? null,
    location: data.location ?? null,
    url: data.url ?? null,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

/** Builds the .ics text for one attendee (each recipient gets their own ATTENDEE line and RSVP). */
export function buildInvite(input: InviteInput): string {
  const data = InviteInput.parse(input);
  const cancelled = data.method === 'CANCEL';
  const calendar = ical({
    prodId: { company: 'governance-cycles', product: 'calendario-governance', language: 'IT' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone name: ical-generator would then write DTSTAMP as Rome local time without "Z",
    // which RFC 5545 forbids. The event's own TZID still makes the generator emit the VTIMEZONE.
    timezone: { name: null, generator: (tz) => (tz === ZONE ? EUROPE_ROME : null) },
  });
  const event = calendar.createEvent({
    ...eventFields(data, data.uidDomain, data.stampedAt, cancelled),
    organizer: data.organizer,
  });
  event.createAttendee({
    name: data.attendee.name,
    email: data.attendee.email,
    role: ICalAttendeeRole.REQ,
    status: ICalAttendeeStatus.NEEDSACTION,
    rsvp: !cancelled,
  });
  if (!cancelled) {
    event.createAlarm({
      type: ICalAlarmType.display,
      trigger: data.alarmMinutesBefore * 60,
      description: data.summary,
    });
  }
  return calendar.toString();
}

export const FeedEvent = InviteInput.pick({
  meetingId: true,
  revision: true,
  summary: true,
  description: true,
  startsAt: true,
  endsAt: true,
  location: true,
  url: true,
}).extend({
  cancelled: z.boolean(),
  /** DTSTAMP: the meeting's last change, so an unchanged feed is byte-identical (and keeps its ETag). */
  changedAt: z.iso.datetime({ offset: true }),
});
export type FeedEvent = z.input<typeof FeedEvent>;

/**
 * A subscribed calendar (webcal) of several meetings. Each event has the UID and SEQUENCE of the e-mail
 * invites about the same meeting, so a client holding both shows one event; a cancelled meeting stays, as
 * STATUS:CANCELLED. No METHOD: a feed is published, not an iTIP request.
 */
export function buildFeed(input: { name: string; uidDomain: string; events: FeedEvent[] }): string {
  const calendar = ical({
    prodId: { company: 'governance-cycles', product: 'calendario-governance', language: 'IT' },
    name: input.name,
    ttl: 60 * 60,
    timezone: { name: null, generator: (tz) => (tz === ZONE ? EUROPE_ROME : null) },
  });
  for (const raw of input.events) {
    const e = FeedEvent.parse(raw);
    calendar.createEvent(eventFields(e, input.uidDomain, e.changedAt, e.cancelled));
  }
  return calendar.toString();
}

/** Unfolds an .ics text and returns its property lines (for tests and the development mailbox). */
export function icsLines(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter(Boolean);
}
