import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { createOutbox } from '../../notifications/outbox/outbox';
import { createMailer } from '../../notifications/transport';
import { startMailCatcher, type MailCatcher } from '../../notifications/catcher/server';
import { SAMPLES } from '../../notifications/testing/samples';
import { actAs } from '../../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../../tests/support/database';
import { buildServer } from '../server';

describe('profile: addresses and language of e-mails (JSON and form, one operation)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let catcher: MailCatcher;
  let personId: string;
  const EMAIL = 'sindaco.pandino@example.org';

  beforeAll(async () => {
    db = await createTestDatabase();
    catcher = await startMailCatcher();
    personId = (await db.prisma.person.create({ data: { fullName: 'Piera Bonà', email: EMAIL } })).id;
    await db.prisma.person.create({ data: { fullName: 'Altro Sindaco', email: 'altro@example.org' } });
    app = await buildServer({ db: db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  });
  afterAll(async () => {
    await app.close();
    await catcher.close();
    await db.cleanup();
  });

  const headers = () => actAs(db.prisma, EMAIL);

  it('refuses bad input field by field in Italian and changes nothing', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: '/api/v1/profile',
      headers: await headers(),
      payload: { email: 'non-un-indirizzo', pecEmail: 'x', language: 'fr' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual([
      { field: 'email', message: 'indirizzo e-mail non valido' },
      { field: 'pecEmail', message: 'indirizzo PEC non valido' },
      { field: 'language', message: 'scegliere italiano o inglese' },
    ]);
    const taken = await app.inject({
      method: 'PATCH',
      url: '/api/v1/profile',
      headers: await headers(),
      payload: { email: 'altro@example.org', language: 'it' },
    });
    expect(taken.statusCode).toBe(409);
    expect(await db.prisma.person.findUniqueOrThrow({ where: { id: personId } })).toMatchObject({
      email: EMAIL,
      language: 'it',
    });
    // Signing in with a token audits the token; the refused changes audit nothing.
    expect(await db.prisma.auditEvent.count({ where: { NOT: { action: { startsWith: 'auth.' } } } })).toBe(0);
  });

  it('two people taking the same new address at once: the loser gets 409 indirizzo_in_uso, not 500', async () => {
    // A second connection stands for the other person's change: it has taken the address in a transaction not
    // yet committed, so this request's check sees the address free and its update waits on the unique index.
    // Committing then makes the update fail the index, as when two saves cross.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE "Person" SET email = 'conteso@example.org' WHERE email = 'altro@example.org'`,
      );
      const pending = app.inject({
        method: 'PATCH',
        url: '/api/v1/profile',
        headers: await headers(),
        payload: { email: 'conteso@example.org', language: 'it' },
      });
      const watcher = new pg.Client({ connectionString: db.url });
      await watcher.connect();
      try {
        for (let i = 0; ; i++) {
          const { rows } = await watcher.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
            [db.name],
          );
          if (rows[0]!.n > 0) break;
          if (i > 500) throw new Error('the profile update never waited on the index');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await watcher.end();
      }
      await other.query('COMMIT');
      const response = await pending;
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({
        error: 'indirizzo_in_uso',
        fields: [{ field: 'email', message: 'indirizzo già usato da un’altra persona' }],
      });
    } finally {
      await other.query(
        `UPDATE "Person" SET email = 'altro@example.org' WHERE email = 'conteso@example.org'`,
      );
      await other.end();
    }
    expect((await db.prisma.person.findUniqueOrThrow({ where: { id: personId } })).email).toBe(EMAIL);
    expect(await db.prisma.auditEvent.count({ where: { action: 'person.profile_changed' } })).toBe(0);
  });

  it('the form keeps what was typed and marks the field; a good post redirects and is audited', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/profilo',
      headers: { ...(await headers()), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=sbagliato&pecEmail=&language=en',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('value="sbagliato"');
    expect(bad.body).toMatch(/id="email"[^>]*aria-invalid="true" aria-describedby="email-errore"/);
    const good = await app.inject({
      method: 'POST',
      url: '/profilo',
      headers: { ...(await headers()), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=piera.bona%40comune.pandino.example.org&pecEmail=&language=en',
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/profilo?salvato=1');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'person.profile_changed' },
    });
    expect(audit.data).toEqual({
      email: { from: EMAIL, to: 'piera.bona@comune.pandino.example.org' },
      language: { from: 'it', to: 'en' },
    });
  });

  it('messages enqueued afterwards go to the new address, in English only', async () => {
    const mailer = createMailer({ smtpUrl: catcher.url });
    const outbox = createOutbox({
      db: db.prisma,
      mailer,
      from: 'Ufficio di Piano <ufficio.piano@example.org>',
    });
    const person = await db.prisma.person.findUniqueOrThrow({ where: { id: personId } });
    await outbox.enqueue([
      {
        key: `test:${personId}`,
        kind: 'convocation',
        to: { email: person.email, name: person.fullName },
        data: SAMPLES.convocation,
        personId,
      },
    ]);
    const row = await db.prisma.outboxMessage.findUniqueOrThrow({
      where: { idempotencyKey: `test:${personId}` },
    });
    mailer.close();
    expect(row.recipientEmail).toBe('piera.bona@comune.pandino.example.org');
    expect(row.textBody).toContain('When:');
    expect(row.textBody).not.toContain('Quando:');
  });
});
