/**
 * `npm start` as a newcomer runs it, in its own process, with nothing configured but
 * a private DATA_DIR and free ports. Embedded Postgres, the seed, the offline Temporal server, worker,
 * reconciler and HTTP server come up; a meeting added through the API survives a restart, and its workflow
 * (lost with the offline server's memory) is started again by the reconciler; SIGTERM stops the worker
 * before the database it writes to, and the process exits 0.
 *
 * TEMPORAL_DEV_SERVER_DOWNLOAD=false: on a machine with internet access the default would download
 * Temporal's dev server, which is the choice app/temporal.test.ts covers; here the offline server is wanted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../prisma/free-port';
import { isolatedEnv, startService, type Service } from '../support/service';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let temporalPort: number;
let running: Service | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  temporalPort = await freePort();
  env = isolatedEnv({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(temporalPort),
    MAIL_CATCHER_PORT: String(await freePort()),
    TEMPORAL_DEV_SERVER_DOWNLOAD: 'false',
    LOG_LEVEL: 'warn',
  });
});

afterAll(() => {
  running?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<Service> {
  running = await startService(env);
  return running;
}

async function workflowIds(): Promise<string[]> {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    const ids: string[] = [];
    for await (const w of new Client({ connection }).workflow.list()) ids.push(w.workflowId);
    return ids;
  } finally {
    await connection.close();
  }
}

/** The reconciler's first pass runs just after the service is ready. */
async function eventuallyRunning(id: string): Promise<string[]> {
  let ids: string[] = [];
  for (let i = 0; i < 100 && !ids.includes(id); i++) {
    ids = await workflowIds();
    if (!ids.includes(id)) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ids;
}

it('starts everything from nothing, keeps what was added across a restart, and stops in order', async () => {
  const first = await start();
  const said = first.output();
  expect(said).toContain('Database: PostgreSQL integrato');
  expect(said).toMatch(/server offline integrato .*TEMPORAL_DEV_SERVER_DOWNLOAD=false/);
  expect(said).toContain('Worker Temporal attivo');

  expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ status: 'ok', database: 'ok' });
  const { bodies } = (await (await fetch(`${first.url}/api/v1/bodies`)).json()) as {
    bodies: { id: string; code: string }[];
  };
  expect(bodies).toHaveLength(13);
  const cr = bodies.find((b) => b.code === 'comitato-ristretto')!;
  const created = await fetch(`${first.url}/api/v1/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-utente': 'Coordinatrice UdP' },
    body: JSON.stringify({
      bodyId: cr.id,
      startsAt: '2027-06-23T17:00:00+02:00',
      endsAt: '2027-06-23T19:00:00+02:00',
      place: 'Sala Giunta, Crema',
      agenda: [{ title: 'Seduta straordinaria: servizi estivi' }],
    }),
  });
  expect(created.status).toBe(201);
  const meetingId = ((await created.json()) as { meeting: { id: string } }).meeting.id;
  const ids = await eventuallyRunning(`meeting/${meetingId}`);
  expect(ids).toContain(`meeting/${meetingId}`);
  expect(ids.some((id) => id.startsWith('series/'))).toBe(true);
  expect(ids.some((id) => id.startsWith('annual/'))).toBe(true);
  expect(ids.some((id) => id.startsWith('compliance/'))).toBe(true);

  expect(await first.stop()).toBe(0);
  const stopping = first.output();
  const order = [
    'SIGTERM: arresto del servizio in corso',
    'Worker Temporal arrestato',
    'Arresto di PostgreSQL integrato',
    'PostgreSQL integrato arrestato.',
    'Arresto del servizio completato.',
  ].map((line) => stopping.indexOf(line));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));

  // Restart on the same DATA_DIR: the offline Temporal server starts empty; the database still holds the
  // meeting, and the reconciler gives it its workflow back.
  const second = await start();
  expect(second.output()).not.toContain('Inizializzazione di PostgreSQL integrato');
  const meeting = await fetch(`${second.url}/api/v1/meetings/${meetingId}`);
  expect(meeting.status).toBe(200);
  expect(((await meeting.json()) as { meeting: { place: string } }).meeting.place).toBe('Sala Giunta, Crema');
  expect(await eventuallyRunning(`meeting/${meetingId}`)).toContain(`meeting/${meetingId}`);
  expect(await second.stop()).toBe(0);
}, 240_000);
