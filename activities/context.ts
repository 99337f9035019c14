/**
 * What every activity needs, created once per worker, and the activity's notion of "now".
 */
import { Context } from '@temporalio/activity';
import type { HolidayCalendar } from '../domain/index';
import type { Mailer } from '../notifications/transport';
import { createOutbox, type Outbox } from '../notifications/outbox/outbox';
import type { PrismaClient } from '../prisma/client';

export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  holidays: HolidayCalendar;
  /** MAIL_FROM: sender of every message and ORGANIZER of the invites. */
  mailFrom: string;
  /** Absolute base of links in messages (answer pages, minutes, deliverables). */
  publicBaseUrl: string;
  /** Secret the answer-link tokens are derived from (notifications/answers/tokens.ts). */
  answerLinkSecret: string;
  /** The Temporal server skips time: `activityNow` is its virtual clock, not a late reading of the real one. */
  timeSkipping?: boolean;
}

/**
 * The moment the workflow asked for this activity. Under time skipping that is the virtual time (the
 * server stamps it), so messages are dated when the process meant them, not when the test happened to run;
 * in production it is the ordinary clock, a few milliseconds earlier.
 */
export function activityNow(): Date {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date(); // called outside an activity (reconciler, tests)
  }
}

/** The outbox, dated with the activity's time. */
export function outboxFor(deps: ActivityDeps): Outbox {
  return createOutbox({
    db: deps.prisma,
    mailer: deps.mailer,
    from: deps.mailFrom,
    now: activityNow,
    virtualTime: deps.timeSkipping ?? false,
  });
}
