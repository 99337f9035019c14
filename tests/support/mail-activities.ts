/**
 * The real meeting activities (and answering) without Temporal: called directly, they send through the outbox to a loopback
 * SMTP catcher, so a test sees the very convocations, updates and cancellations a workflow would cause.
 */
import { createActivities } from '../../activities/index';
import { loadConfig } from '../../app/config';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from '../../domain/index';
import { createAnswering } from '../../notifications/answers/answering';
import { startMailCatcher } from '../../notifications/catcher/server';
import { createOutbox } from '../../notifications/outbox/outbox';
import { createMailer } from '../../notifications/transport';
import type { PrismaClient } from '../../prisma/client';

export async function startMailActivities(db: PrismaClient, answerLinkSecret: string) {
  const catcher = await startMailCatcher();
  const mailer = createMailer({ smtpUrl: catcher.url, maxConnections: 1 });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const activities = createActivities({
    prisma: db,
    mailer,
    holidays: new HolidayCalendar(CREMA_LOCAL_FEASTS),
    mailFrom: config.MAIL_FROM,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    answerLinkSecret,
  });
  // The answers' side of the same service: answer links, late convocations, delegates, through the outbox.
  const answering = createAnswering({
    db,
    outbox: createOutbox({ db, mailer, from: config.MAIL_FROM }),
    secret: answerLinkSecret,
    baseUrl: config.PUBLIC_BASE_URL,
  });
  return {
    catcher,
    mailer,
    activities,
    answering,
    config,
    async close() {
      mailer.close();
      await catcher.close();
    },
  };
}

export type MailActivities = Awaited<ReturnType<typeof startMailActivities>>;
