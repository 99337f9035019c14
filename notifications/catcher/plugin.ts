/**
 * /dev/mailbox: what the embedded mail catcher received, for developers and for a coordinator trying the
 * service on a laptop. Labelled as a development mailbox on every page so nobody mistakes it for sent mail
 * records. Message HTML is shown in a sandboxed iframe without scripts: it is foreign content.
 */
import type { FastifyPluginAsync } from 'fastify';
import { simpleParser } from 'mailparser';
import { escapeHtml, page } from '../html';
import type { Mailbox } from './mailbox';

const BANNER = `<p class="banner"><strong>Casella di sviluppo</strong> – development mailbox: messaggi catturati dal server SMTP locale, non consegnati a nessuno / messages caught by the local SMTP server, delivered to nobody.</p>`;

export interface DevMailboxOptions {
  mailbox: Mailbox;
}

export const devMailboxPlugin: FastifyPluginAsync<DevMailboxOptions> = async (app, { mailbox }) => {
  app.get('/dev/mailbox', { config: { access: 'public' } }, async (_request, reply) => {
    const rows = mailbox
      .list()
      .map((m) => {
        return `<tr><td>${escapeHtml(new Date(m.receivedAt).toLocaleString('it-IT', { timeZone: 'Europe/Rome' }))}</td>
<td>${escapeHtml(m.to.join(', '))}</td><td><a href="/dev/mailbox/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(senza oggetto)')}</a></td>
<td>${m.deliveries > 1 ? `<strong class="error">ricevuto ${m.deliveries} volte</strong>` : ''}</td></tr>`;
      })
      .join('');
    reply.type('text/html; charset=utf-8');
    return page(
      'Casella di sviluppo',
      `<h1>Casella di sviluppo</h1>${BANNER}<p>${countLabel(mailbox.list().length)}</p>
<table><thead><tr><th>Ricevuto</th><th>A</th><th>Oggetto</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  });

  app.get<{ Params: { id: string } }>(
    '/dev/mailbox/:id',
    { config: { access: 'public' } },
    async (request, reply) => {
      const meta = mailbox.get(request.params.id);
      const source = meta && mailbox.source(meta.id);
      reply.type('text/html; charset=utf-8');
      if (!meta || !source) {
        reply.code(404);
        return page(
          'Messaggio non trovato',
          `${BANNER}<p class="error">Messaggio non trovato / message not found.</p><p><a href="/dev/mailbox">Torna alla casella</a></p>`,
        );
      }
      const mail = await simpleParser(source);
      const invite = mail.attachments.find((a) => a.contentType === 'text/calendar');
      const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).map((a) => a.text).join(', ') : '';
      return page(
        mail.subject ?? 'Messaggio',
        `<p><a href="/dev/mailbox">← Casella di sviluppo</a></p>${BANNER}
<h1>${escapeHtml(mail.subject ?? '(senza oggetto)')}</h1>
<table><tr><th>Da / From</th><td>${escapeHtml(mail.from?.text)}</td></tr><tr><th>A / To</th><td>${escapeHtml(to)}</td></tr>
<tr><th>Message-ID</th><td>${escapeHtml(mail.messageId)}</td></tr><tr><th>Consegne / deliveries</th><td>${meta.deliveries}</td></tr></table>
<h2>HTML</h2><iframe sandbox title="HTML" style="width:100%;height:520px;border:1px solid #ccc" srcdoc="${escapeHtml(mail.html || '')}"></iframe>
<h2>Testo / text</h2><pre>${escapeHtml(mail.text)}</pre>
${invite ? `<h2>Invito calendario / calendar invite</h2><pre>${escapeHtml(invite.content.toString('utf8'))}</pre>` : ''}
${mail.attachments
  .filter((a) => a !== invite)
  .map((a) => `<p>Allegato / attachment: ${escapeHtml(a.filename)} (${a.size} byte)</p>`)
  .join('')}`,
      );
    },
  );
};

export default devMailboxPlugin;

/** "1 messaggio / message", "3 messaggi / messages". */
function countLabel(count: number): string {
  return count === 1 ? '1 messaggio / message.' : `${count} messaggi / messages.`;
}
