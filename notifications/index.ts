/**
 * Wiring for the application: one call builds the mail transport (SMTP_URL, or the embedded mail catcher
 * when it is not set), the outbox, a background retry pump, the activities and the HTTP routes.
 *
 *   const notifications = await startNotifications({ config, db, log: app.log });
 *   await notifications.registerRoutes(app);       // /risposta/:token, and /dev/mailbox with the catcher
 *   worker activities: { ...notifications.activities }
 *   on shutdown: await notifications.close();
 */
import type { FastifyInstance } from 'fastify';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../domain/index';
import { createNotificationActivities } from './activities';
import { createAnswering, type AnsweringDeps } from './answers/answering';
import { answerPagesPlugin } from './answers/plugin';
import { loadAnswerLinkSecret } from './answers/tokens';
import { devMailboxPlugin } from './catcher/plugin';
import { startMailCatcher, type MailCatcher } from './catcher/server';
import type { OutboxDb } from './outbox/db';
import { createOutbox, type Outbox } from './outbox/outbox';
import { createMailer } from './transport';

export interface NotificationsConfig {
  SMTP_URL?: string;
  PEC_SMTP_URL?: string;
  MAIL_FROM: string;
  MAIL_CATCHER_PORT: number;
  PUBLIC_BASE_URL: string;
  DATA_DIR: string;
}

export interface StartOptions {
  config: NotificationsConfig;
  db: OutboxDb & AnsweringDeps['db'];
  log?: { info(message: string): void; warn(obj: unknown, message?: string): void };
  /** Retry pump period; 0 disables it (tests, or when only workflows drive delivery). */
  pumpIntervalMs?: number;
  onAnswer?: AnsweringDeps['onAnswer'];
  /** The clock of the answer page (answerPagesPlugin's `now`); the real one by default. */
  now?: Clock;
}

export async function startNotifications(options: StartOptions) {
  const { config, db } = options;
  let catcher: MailCatcher | null = null;
  let smtpUrl = config.SMTP_URL;
  if (!smtpUrl) {
    try {
      catcher = await startMailCatcher({
        port: config.MAIL_CATCHER_PORT,
        dir: join(config.DATA_DIR, 'mailbox'),
      });
      smtpUrl = catcher.url;
      options.log?.info(
        `SMTP_URL non impostato: posta catturata da ${catcher.url}, visibile su ${config.PUBLIC_BASE_URL}/dev/mailbox (casella di sviluppo)`,
      );
    } catch (error) {
      // `npm run api` and `npm run worker` side by side on a laptop: the first one owns the catcher (and
      // its /dev/mailbox page); the other sends to it.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      smtpUrl = `smtp://127.0.0.1:${config.MAIL_CATCHER_PORT}`;
      options.log?.info(`SMTP_URL non impostato: la posta va al catturatore già attivo su ${smtpUrl}`);
    }
  }
  const mailer = createMailer({ smtpUrl, pecSmtpUrl: config.PEC_SMTP_URL });
  const outbox = createOutbox({ db, mailer, from: config.MAIL_FROM });
  const answerLinkSecret = loadAnswerLinkSecret(process.env, config.DATA_DIR);
  const activities = createNotificationActivities({
    db,
    outbox,
    baseUrl: config.PUBLIC_BASE_URL,
    answerLinkSecret,
  });
  // One way to answer a convocation, for the answer page here and for Le mie riunioni (api/my-meetings).
  const answering = createAnswering({
    db,
    outbox,
    secret: answerLinkSecret,
    baseUrl: config.PUBLIC_BASE_URL,
    onAnswer: options.onAnswer,
    log: options.log,
  });
  const stopPump = startOutboxPump(outbox, options.pumpIntervalMs ?? 30_000, options.log);

  return {
    mailer,
    outbox,
    catcher,
    activities,
    answering,
    /** For the API's signed cookies: derived from the same secret, so one variable serves every process. */
    cookieSecret: createHmac('sha256', answerLinkSecret).update('cookie-signing').digest('base64url'),
    async registerRoutes(app: FastifyInstance) {
      await app.register(answerPagesPlugin, { db, answering, now: options.now });
      if (catcher) await app.register(devMailboxPlugin, { mailbox: catcher.mailbox });
    },
    async close() {
      await stopPump();
      mailer.close();
      await catcher?.close();
    },
  };
}

/**
 * Sends whatever is due every `intervalMs`: retries after temporary failures, and rows left `sending` by a
 * crashed process once their lease expires. One run at a time; errors are logged, never thrown.
 */
export function startOutboxPump(
  outbox: Outbox,
  intervalMs: number,
  log?: StartOptions['log'],
): () => Promise<void> {
  if (intervalMs <= 0) return async () => {};
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = outbox
      .deliver()
      .catch((error: unknown) => log?.warn({ err: error }, 'outbox pump: delivery round failed'))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
