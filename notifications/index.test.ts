import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import layoutPlugin from '../api/layout/plugin';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import { startNotifications } from './index';
import { SAMPLES } from './testing/samples';

let db: TestDatabase;
const dataDir = mkdtempSync(join(tmpdir(), 'notifications-'));

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('startNotifications without SMTP_URL', () => {
  it('runs the embedded mail catcher, sends through the outbox, and serves /dev/mailbox and the answer pages', async () => {
    const notifications = await startNotifications({
      config: {
        MAIL_FROM: 'Ufficio di Piano <udp@crema.example.org>',
        MAIL_CATCHER_PORT: 0,
        PUBLIC_BASE_URL: 'http://localhost:3000',
        DATA_DIR: dataDir,
      },
      db: db.prisma,
      pumpIntervalMs: 0,
    });
    const app = Fastify();
    try {
      expect(notifications.catcher).not.toBeNull();
      await app.register(layoutPlugin, { db: db.prisma, feedbackEmail: 'udp@crema.example.org' });
      await notifications.registerRoutes(app);
      const result = await notifications.activities.sendNotifications([
        {
          key: 'minutesRequest:m-9:secretary',
          kind: 'minutesRequest',
          data: SAMPLES.minutesRequest,
          to: { name: 'Laura Bianchi', email: 'segreteria@crema.example.org' },
        },
      ]);
      expect(result.enqueued.created).toBe(1);
      expect(result.delivery).toMatchObject({ sent: 1, pending: 0 });

      const mailbox = await app.inject('/dev/mailbox');
      expect(mailbox.statusCode).toBe(200);
      expect(mailbox.body).toContain('Casella di sviluppo');
      expect(mailbox.body).toContain('Richiesta del verbale');
      // The answer pages are mounted too (an unknown token is a clear 404, in Italian).
      const answer = await app.inject('/risposta/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect(answer.statusCode).toBe(404);
      expect(answer.body).toContain('Collegamento non valido');
      // A second process on the same port (api and worker side by side) sends to the first one's catcher.
      const second = await startNotifications({
        config: {
          MAIL_FROM: 'Ufficio di Piano <udp@crema.example.org>',
          MAIL_CATCHER_PORT: notifications.catcher!.port,
          PUBLIC_BASE_URL: 'http://localhost:3000',
          DATA_DIR: dataDir,
        },
        db: db.prisma,
        pumpIntervalMs: 0,
      });
      try {
        expect(second.catcher).toBeNull();
        const viaSecond = await second.activities.sendNotifications([
          {
            key: 'minutesRequest:m-9:secretary-2',
            kind: 'minutesRequest',
            data: SAMPLES.minutesRequest,
            to: { name: 'Laura Bianchi', email: 'segreteria2@crema.example.org' },
          },
        ]);
        expect(viaSecond.delivery.sent).toBe(1);
        expect(
          notifications.catcher!.mailbox.list().some((m) => m.to.includes('segreteria2@crema.example.org')),
        ).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await app.close();
      await notifications.close();
    }
  });
});
