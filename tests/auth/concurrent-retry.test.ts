/**
 * «Riprova» pressed twice at once on one failed message: it goes back in the queue once, and the audit says
 * so once (an audit row is a change that happened, not a request that arrived).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let messageId: string;

beforeAll(async () => {
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
  const message = await world.db.outboxMessage.create({
    data: {
      idempotencyKey: 'retry:twice',
      kind: 'convocation',
      recipientEmail: 'sindaco.pandino@example.org',
      personId: await world.personId('sindaco.pandino@example.org'),
      subject: 'Convocazione',
      textBody: 'Testo',
      htmlBody: '<p>Testo</p>',
      messageId: '<retry-twice@example.org>',
      status: 'failed',
      attempts: 8,
      lastError: 'relay non raggiungibile',
    },
  });
  messageId = message.id;
});

const retry = () =>
  world.app.inject({
    method: 'POST',
    url: `/api/v1/messages/${messageId}/retry`,
    headers: { accept: 'application/json', ...coordinator },
  });

describe('a failed message retried twice at once', () => {
  it('is requeued once and audited once, round after round', async () => {
    // The two requests meet only when both read the row before either writes it: several rounds.
    for (let round = 1; round <= 6; round++) {
      await world.db.outboxMessage.update({
        where: { id: messageId },
        data: { status: 'failed', attempts: 8 },
      });
      await warmPool(world.db);
      const answers = await Promise.all([retry(), retry()]);
      // The second either agrees (202) or, reading the row after the first, finds it queued already (409).
      const [first, second] = answers.map((a) => a.statusCode).sort();
      expect(first).toBe(202);
      expect([202, 409]).toContain(second);
      const audits = await world.db.auditEvent.count({
        where: { entityId: messageId, action: 'message.requeued' },
      });
      expect(audits, `round ${round}`).toBe(round);
    }
  });
});
