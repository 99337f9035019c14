/**
 * The embedded SMTP server used as local mail catcher (no SMTP_URL) and in tests: a real smtp-server on
 * loopback, so the application talks real SMTP to it exactly as to a production relay.
 *
 * Recipients on the reserved ".invalid" top-level domain (RFC 2606) are refused with 550, so a developer
 * can watch a permanent failure surface without a real mail server.
 */
import { SMTPServer } from 'smtp-server';
import { Mailbox } from './mailbox';

export interface MailCatcherOptions {
  port?: number;
  /** Folder for persistent storage; memory only when absent. */
  dir?: string;
  mailbox?: Mailbox;
  /** Largest accepted message in bytes (announced with SIZE, enforced with 552). */
  maxSize?: number;
  /** Delay before each final reply: simulates a slow relay (crash tests, benchmarks). */
  replyDelayMs?: number;
}

export interface MailCatcher {
  port: number;
  url: string;
  mailbox: Mailbox;
  close(): Promise<void>;
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const mailbox = options.mailbox ?? new Mailbox(options.dir);
  const maxSize = options.maxSize ?? 25 * 1024 * 1024;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: maxSize,
    banner: 'Casella di sviluppo / development mail catcher',
    logger: false,
    onRcptTo(address, _session, callback) {
      if (/\.invalid$/i.test(address.address)) {
        const error = Object.assign(
          new Error(`Destinatario inesistente / no such user: ${address.address}`),
          { responseCode: 550 },
        );
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(
            Object.assign(new Error('Messaggio troppo grande / message too large'), { responseCode: 552 }),
          );
        }
        // Stored before the reply, as a real relay commits before it answers 250: a client that dies while
        // waiting for the reply leaves the message delivered but unconfirmed (the outbox's in-doubt case).
        const { message } = mailbox.add(Buffer.concat(chunks), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        const reply = () => callback(null, `Ok: queued as ${message.id}`);
        if (options.replyDelayMs) setTimeout(reply, options.replyDelayMs);
        else reply();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // smtp-server reports a client that resets mid-transaction (a sender killed while sending) as an 'error'
  // on the server. That is the client's failure, not the catcher's: without a listener it would crash the
  // process hosting the catcher (`npm start`, `npm run api`).
  server.on('error', () => {});
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mailbox,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
