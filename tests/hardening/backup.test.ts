/**
 * Backup and restore as an office does it: `npm run backup` while `npm start` runs, the service stopped,
 * `npm run restore` into an empty DATA_DIR, `npm start` again. The offline Temporal server starts empty, so
 * the reconciler rebuilds the workflows from the restored database; the convocations sent before the
 * backup are not sent again. A real SMTP server on loopback (the project's catcher) receives every message
 * of both runs and counts deliveries per Message-ID.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../notifications/catcher/server';
import { freePort } from '../../prisma/free-port';
import { createPrismaClient } from '../../prisma/client';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { isolatedEnv, runScript, startService, type Service } from '../support/service';

let scratch: string;
let catcher: MailCatcher;
const running: Service[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'backup-'));
  catcher = await startMailCatcher({ port: await freePort() });
});

afterAll(async () => {
  for (const service of running) service.child.kill('SIGKILL');
  await catcher.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function serviceEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  return isolatedEnv({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    SMTP_URL: catcher.url,
    TEMPORAL_DEV_SERVER_DOWNLOAD: 'false',
    LOG_LEVEL: 'warn',
  });
}

async function start(env: NodeJS.ProcessEnv): Promise<Service> {
  const service = await startService(env);
  running.push(service);
  return service;
}

const embeddedUrl = (env: NodeJS.ProcessEnv) =>
  `postgresql://postgres:postgres@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/postgres`;

async function query<T extends pg.QueryResultRow>(env: NodeJS.ProcessEnv, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: embeddedUrl(env) });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  let value: T | null | undefined | false = null;
  for (let i = 0; i < 300; i++) {
    value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`still waiting for ${what} (last seen: ${JSON.stringify(value)})`);
}

/** The coordinator's API token, made in the first run; the restored database still knows it. */
let headers: Record<string, string>;

async function meetingPhase(service: Service, id: string): Promise<string | undefined> {
  const response = await fetch(`${service.url}/api/v1/meetings/${id}`, { headers });
  const body = (await response.json()) as { processo: { phase: string } | null };
  return body.processo?.phase;
}

interface OutboxRow {
  message_id: string;
  status: string;
}

it('restores a backup taken while the service runs: workflows rebuilt, nothing sent twice', async () => {
  const original = await serviceEnv(join(scratch, 'office'));
  const first = await start(original);
  const prisma = createPrismaClient(embeddedUrl(original));
  headers = await actAs(prisma, COORDINATORE);
  await prisma.$disconnect();
  const { bodies } = (await (await fetch(`${first.url}/api/v1/bodies`, { headers })).json()) as {
    bodies: { id: string; code: string }[];
  };
  const cr = bodies.find((b) => b.code === 'comitato-ristretto')!;
  // An urgent session within the day: its convocation (24 hours ahead) is due at once, no reminder.
  const startsAt = new Date(Math.ceil((Date.now() + 20 * 3600_000) / 3600_000) * 3600_000);
  const created = await fetch(`${first.url}/api/v1/meetings`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      bodyId: cr.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
      place: 'Sala Giunta, Crema',
      urgent: true,
      agenda: [{ title: 'Seduta urgente: emergenza abitativa' }],
    }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const meetingId = ((await created.json()) as { meeting: { id: string } }).meeting.id;
  await until('the convocations', async () => (await meetingPhase(first, meetingId)) === 'convened');
  const sentBefore = await until('the outbox to empty', async () => {
    const rows = await query<OutboxRow>(
      original,
      'SELECT "messageId" AS message_id, status FROM "OutboxMessage"',
    );
    return rows.length > 0 && rows.every((row) => row.status === 'sent') && rows;
  });
  expect(catcher.mailbox.list()).toHaveLength(sentBefore.length);

  const file = join(scratch, 'nightly.backup.gz');
  const backup = await runScript(original, ['backup', '--', file]);
  expect(backup.output).toMatch(/Backup scritto in .*nightly\.backup\.gz: \d+ righe da \d+ tabelle\./);
  expect(backup.code).toBe(0);
  expect(await first.stop()).toBe(0);

  // The office's DATA_DIR still holds its database: a restore there is refused and changes nothing.
  const refused = await runScript(original, ['restore', '--', file]);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('contiene già un database: il ripristino va fatto in una DATA_DIR vuota');

  const restoredEnv = await serviceEnv(join(scratch, 'restored'));
  const restore = await runScript(restoredEnv, ['restore', '--', file]);
  expect(restore.output).toMatch(/Ripristino completato .* righe in \d+ tabelle/);
  expect(restore.code).toBe(0);

  const second = await start(restoredEnv);
  // Offline Temporal started empty: the meeting runs again only because the reconciler restarted it.
  await until('the rebuilt workflow', async () => (await meetingPhase(second, meetingId)) === 'convened');
  const after = await query<OutboxRow>(
    restoredEnv,
    'SELECT "messageId" AS message_id, status FROM "OutboxMessage"',
  );
  expect(after.map((row) => row.message_id).sort()).toEqual(sentBefore.map((row) => row.message_id).sort());
  expect(after.every((row) => row.status === 'sent')).toBe(true);
  const caught = catcher.mailbox.list();
  expect(caught).toHaveLength(sentBefore.length);
  expect(caught.filter((message) => message.deliveries > 1)).toEqual([]);
  expect(await second.stop()).toBe(0);
}, 300_000);

let target: TestDatabase;
beforeAll(async () => {
  target = await createTestDatabase();
});
afterAll(() => target.cleanup());

it('with DATABASE_URL: restores into an empty database and refuses one that holds data', async () => {
  const file = join(scratch, 'nightly.backup.gz');
  const env = isolatedEnv({ DATABASE_URL: target.url, LOG_LEVEL: 'warn' });
  const restored = await runScript(env, ['restore', '--', file]);
  expect(restored.code).toBe(0);
  expect(await target.prisma.body.count()).toBe(13);
  const again = await runScript(env, ['restore', '--', file]);
  expect(again.code).toBe(1);
  expect(again.output).toContain('Il database di destinazione non è vuoto');
  expect(await target.prisma.body.count()).toBe(13);

  // A second backup of the restored database holds the same rows.
  const copy = join(scratch, 'copy.backup.gz');
  const backup = await runScript(env, ['backup', '--', copy]);
  expect(backup.code).toBe(0);
  const rows = (output: string) => /(\d+) righe/.exec(output)?.[1];
  expect(rows(backup.output)).toBe(rows(restored.output));
}, 120_000);
