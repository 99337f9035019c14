/**
 * /dev/mailbox: what the embedded mail catcher received, for developers and for a coordinator trying the
 * service on a laptop. Labelled as a development mailbox on every page so nobody mistakes it for sent mail
 * records. Message HTML is shown in a sandboxed iframe without scripts: it is foreign content. Rendered in the
 * pages' layout (api/layout, which must be registered first).
 */
import type { FastifyPluginAsync } from 'fastify';
import { simpleParser } from 'mailparser';
import type { Mailbox } from './mailbox';

const VIEWS = 'notifications/catcher/views';

export interface DevMailboxOptions {
  mailbox: Mailbox;
}

export const devMailboxPlugin: FastifyPluginAsync<DevMailboxOptions> = async (app, { mailbox }) => {
  // Only where no real SMTP is configured, and holding nothing but test mail: open to whoever runs it.
  const open = { access: 'public' } as const;

  app.get('/dev/mailbox', { config: open }, async (_request, reply) => {
    const messages = mailbox.list();
    return reply.page(`${VIEWS}/casella.hbs`, {
      title: 'Casella di sviluppo',
      count: countLabel(messages.length),
      messages: messages.map((m) => ({ ...m, to: m.to.join(', '), repeated: m.deliveries > 1 })),
    });
  });

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id', { config: open }, async (request, reply) => {
    const meta = mailbox.get(request.params.id);
    const source = meta && mailbox.source(meta.id);
    if (!meta || !source) {
      reply.code(404);
      return reply.page(`${VIEWS}/messaggio.hbs`, { title: 'Messaggio non trovato', missing: true });
    }
    const mail = await simpleParser(source);
    const invite = mail.attachments.find((a) => a.contentType === 'text/calendar');
    const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).map((a) => a.text).join(', ') : '';
    return reply.page(`${VIEWS}/messaggio.hbs`, {
      title: mail.subject ?? 'Messaggio',
      // The e-mail's HTML keeps its own inline styles inside the sandboxed frame.
      foreignHtml: true,
      subject: mail.subject ?? '(senza oggetto)',
      from: mail.from?.text,
      to,
      messageId: mail.messageId,
      deliveries: meta.deliveries,
      html: mail.html || '',
      text: mail.text,
      invite: invite?.content.toString('utf8'),
      attachments: mail.attachments
        .filter((a) => a !== invite)
        .map((a) => ({ filename: a.filename, size: a.size })),
    });
  });
};

export default devMailboxPlugin;

/** "1 messaggio / message", "3 messaggi / messages". */
function countLabel(count: number): string {
  return count === 1 ? '1 messaggio / message.' : `${count} messaggi / messages.`;
}
