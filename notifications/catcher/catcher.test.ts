import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import layoutPlugin from '../../api/layout/plugin';
import { buildInvite } from '../calendar';
import { renderMessage } from '../templates/render';
import { SAMPLES } from '../testing/samples';
import { createMailer } from '../transport';
import { devMailboxPlugin } from './plugin';
import { startMailCatcher } from './server';

const dir = mkdtempSync(join(tmpdir(), 'mailbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invite = buildInvite({
  method: 'REQUEST',
  meetingId: 'cr-1',
  revision: 1,
  summary: 'Comitato Ristretto',
  startsAt: SAMPLES.convocation.meeting.startsAt,
  endsAt: SAMPLES.convocation.meeting.endsAt,
  organizer: { name: 'Ufficio di Piano', email: 'udp@example.org' },
  attendee: { name: 'Sindaco', email: 'sindaco@example.org' },
  stampedAt: '2027-02-01T08:00:00Z',
  uidDomain: 'example.org',
});

describe('embedded mail catcher and /dev/mailbox', () => {
  it('keeps messages on disk across restarts, one copy per Message-ID, and refuses .invalid recipients with 550', async () => {
    const first = await startMailCatcher({ dir });
    const mailer = createMailer({ smtpUrl: first.url });
    const mail = {
      from: 'Ufficio di Piano <udp@example.org>',
      to: { name: 'Sindaco', address: 'sindaco@example.org' },
      ...renderMessage('convocation', SAMPLES.convocation),
      messageId: '<same@example.org>',
      date: new Date('2027-02-01T08:00:00Z'),
      calendar: { method: 'REQUEST' as const, content: invite },
    };
    await mailer.send('smtp', mail);
    await mailer.send('smtp', mail);
    await expect(
      mailer.send('smtp', { ...mail, to: { address: 'nessuno@comune.invalid' } }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    mailer.close();
    await first.close();

    const second = await startMailCatcher({ dir });
    const list = second.mailbox.list();
    expect(list).toHaveLength(1);
    expect(list[0]!.deliveries).toBe(2);
    expect(list[0]!.subject).toContain('Convocazione Comitato Ristretto');

    const app = Fastify();
    await app.register(layoutPlugin, { feedbackEmail: 'udp@example.org' });
    await app.register(devMailboxPlugin, { mailbox: second.mailbox });
    const index = await app.inject('/dev/mailbox');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('Casella di sviluppo');
    expect(index.body).toContain('ricevuto 2 volte');
    expect(index.body).toContain(`/dev/mailbox/${list[0]!.id}`);

    const one = await app.inject(`/dev/mailbox/${list[0]!.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Casella di sviluppo');
    expect(one.body).toContain('<iframe sandbox');
    expect(one.body).toContain('Quando: martedì 9 marzo 2027, ore 18:00'); // text part
    expect(one.body).toContain('UID:meeting-cr-1@example.org'); // invite
    expect(one.body).not.toMatch(/<script/i);

    expect((await app.inject('/dev/mailbox/nope')).statusCode).toBe(404);
    await app.close();
    await second.close();
  });
});
