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
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { atRome, ROME } from '../../domain/index';
import { Mailbox } from '../../notifications/catcher/mailbox';
import { freePort } from '../../prisma/free-port';
import { halt, isolatedEnv, startService, type Service } from '../support/service';
import { signInByEmail, visitor } from '../support/sign-in';

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

afterAll(async () => {
  if (running) await halt(running.child);
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` itself (tests/support/service.ts), so the script's signal path is tested too. */
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

  // Nobody is trusted for a header: anonymous writes are refused whatever X-Utente says, pages ask to sign in.
  const home = await fetch(`${first.url}/`, { redirect: 'manual', headers: { accept: 'text/html' } });
  expect(home.status).toBe(303);
  expect(home.headers.get('location')).toBe('/accesso?ritorno=%2F');
  const anonymous = await fetch(`${first.url}/api/v1/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-utente': 'Coordinatrice UdP' },
    body: '{}',
  });
  expect(anonymous.status).toBe(401);

  // The coordinator signs in by e-mail link from the development mailbox and may change a body's rules;
  // the Sindaco di Pandino signs in the same way and may not.
  const folder = join(dataDir, 'mailbox');
  const mailbox = {
    list: () => new Mailbox(folder).list(),
    source: (id: string) => new Mailbox(folder).source(id),
  };
  const coordinator = await signInByEmail(first.url, mailbox, 'coordinatore-udp@example.org');
  const mayor = await signInByEmail(first.url, mailbox, 'sindaco.pandino@example.org');
  const { bodies } = (await (await coordinator.request('/api/v1/bodies')).json()) as {
    bodies: { id: string; code: string }[];
  };
  expect(bodies).toHaveLength(13);
  const cr = bodies.find((b) => b.code === 'comitato-ristretto')!;
  const rules = { minutes: { required: true, deadlineDays: 20 } };
  for (const person of [coordinator, mayor]) {
    person.csrf = ((await (await person.request('/api/v1/me')).json()) as { csrfToken: string }).csrfToken;
  }
  const refused = await mayor.request(`/api/v1/bodies/${cr.id}/rules`, { method: 'PATCH', json: rules });
  expect(refused.status).toBe(403);
  const changed = await coordinator.request(`/api/v1/bodies/${cr.id}/rules`, {
    method: 'PATCH',
    json: rules,
  });
  expect(changed.status).toBeLessThan(300);

  // The service runs on the real clock, so the session is dated from it: a fixed date would one day be past,
  // and refused. A Wednesday half a year out: never a day of the Comitato's own series (first Tuesdays), and
  // past the one session that series has planned.
  const day = DateTime.now().setZone(ROME).plus({ months: 6 }).set({ weekday: 3 }).toISODate()!;
  const created = await coordinator.request('/api/v1/meetings', {
    json: {
      bodyId: cr.id,
      startsAt: atRome(day, '17:00').toISO(),
      endsAt: atRome(day, '19:00').toISO(),
      place: 'Sala Giunta, Crema',
      agenda: [{ title: 'Seduta straordinaria: servizi estivi' }],
    },
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
  // Sessions live in Postgres: the coordinator's survives the restart.
  const again = visitor(second.url);
  again.cookies.set('sessione', coordinator.cookies.get('sessione')!);
  const meeting = await again.request(`/api/v1/meetings/${meetingId}`);
  expect(meeting.status).toBe(200);
  expect(((await meeting.json()) as { meeting: { place: string } }).meeting.place).toBe('Sala Giunta, Crema');
  expect(await eventuallyRunning(`meeting/${meetingId}`)).toContain(`meeting/${meetingId}`);
  expect(await second.stop()).toBe(0);
}, 240_000);
