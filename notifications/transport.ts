/**
 * The SMTP side: a pooled nodemailer transport from SMTP_URL, an optional second one for PEC recipients
 * (Posta Elettronica Certificata must leave through the certified provider, never the ordinary relay), and
 * the rule that splits SMTP failures into temporary (retry later) and permanent (stop, tell the coordinator).
 */
import nodemailer, { type Transporter } from 'nodemailer';

export type Channel = 'smtp' | 'pec';

export interface OutgoingMail {
  from: string;
  to: { name?: string | null; address: string };
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** Fixed Date header, so a resend of the same outbox row is byte-identical to the first attempt. */
  date: Date;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string } | null;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
}

export interface SendResult {
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F3A2". */
  response: string;
  /** What the server called the message, when its reply says ("queued as X"); else the reply itself. */
  providerMessageId: string;
}

export interface Mailer {
  send(channel: Channel, mail: OutgoingMail): Promise<SendResult>;
  hasPec(): boolean;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string;
  pecSmtpUrl?: string | null;
  /** Parallel SMTP connections per transport; the outbox sends this many messages at once. */
  maxConnections?: number;
}

function pooled(url: string, maxConnections: number): Transporter {
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections,
    maxMessages: 500,
    // Bounded waits: a hung server must turn into a temporary failure, not a stuck activity.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

export function createMailer(options: MailerOptions): Mailer {
  const maxConnections = options.maxConnections ?? 5;
  const smtp = pooled(options.smtpUrl, maxConnections);
  const pec = options.pecSmtpUrl ? pooled(options.pecSmtpUrl, maxConnections) : null;
  return {
    hasPec: () => pec !== null,
    async send(channel, mail) {
      const transport = channel === 'pec' ? pec : smtp;
      if (!transport)
        throw new PermanentSendError('PEC_SMTP_URL non configurato / no PEC transport configured');
      const info = await transport.sendMail({
        from: mail.from,
        to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        date: mail.date,
        icalEvent: mail.calendar
          ? { method: mail.calendar.method, content: mail.calendar.content, filename: 'invito.ics' }
          : undefined,
        attachments: mail.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.contentBase64,
          encoding: 'base64',
        })),
      });
      const response = String(info.response ?? '');
      const queued = /queued as ([\w.-]+)/i.exec(response);
      return { response, providerMessageId: queued?.[1] ?? response };
    },
    close() {
      smtp.close();
      pec?.close();
    },
  };
}

/** Thrown for failures that a retry would meet again. */
export class PermanentSendError extends Error {}

export type FailureKind = 'temporary' | 'permanent';

/**
 * RFC 5321: 4yz replies are transient, 5yz permanent (503 "bad sequence" excepted: a new connection fixes it).
 * Without a reply code the connection itself failed (refused, reset, timeout, DNS): temporary, the message
 * waits for the server to come back. Envelope and message-build errors without a code are ours: permanent.
 */
export function classifySendError(error: unknown): FailureKind {
  if (error instanceof PermanentSendError) return 'permanent';
  const { responseCode, code } = (error ?? {}) as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number')
    return responseCode >= 500 && responseCode !== 503 ? 'permanent' : 'temporary';
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'ECONFIG' || code === 'EMAXRECIPIENTS')
    return 'permanent';
  return 'temporary';
}

export function describeSendError(error: unknown): string {
  const { responseCode, code, response, message } = (error ?? {}) as Record<string, unknown>;
  return [code, responseCode, response ?? message]
    .filter((part) => part !== undefined && part !== '')
    .join(' ')
    .slice(0, 1000);
}
