/**
 * The pages that e-mail links open (/riunioni/:id, /riunioni/:id/verbale, /scadenze/:id, /organi/:id), over a real
 * seeded Postgres: Italian, escaped, and a clear 404 page for a link that matches nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { VIRTUAL_START } from '../workflows/fixture';

let database: TestDatabase;
let app: FastifyInstance;
let meetingId: string;
let deliverableId: string;
let crId: string;
let coordinator: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  // The pages judge on the test's today, before its 2027 session whatever the real date: the body's page lists
  // the sessions of a year either side of it.
  app = await buildServer({
    db: database.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    now: () => Date.parse(VIRTUAL_START),
  });
  coordinator = await actAs(database.prisma, COORDINATORE);
  const db = database.prisma;
  const cr = await db.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } });
  crId = cr.id;
  const meeting = await db.meeting.create({
    data: {
      bodyId: cr.id,
      plannedDateKey: '2027-03-09',
      status: 'convened',
      revision: 1,
      startsAt: new Date('2027-03-09T17:00:00Z'),
      endsAt: new Date('2027-03-09T19:00:00Z'),
      place: 'Sala Giunta, Comune di Crema',
      agendaItems: {
        create: [
          { position: 1, title: 'Approvazione del verbale della seduta precedente' },
          { position: 2, title: 'Riparto <script>alert(1)</script>', isAddendum: true },
        ],
      },
      verbale: { create: { dueDate: new Date('2027-03-24T00:00:00Z') } },
    },
  });
  meetingId = meeting.id;
  const ambito = await db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } });
  const deliverable = await db.deliverable.create({
    data: {
      ambitoId: ambito.id,
      kind: 'report_annuale',
      referenceYear: 2026,
      referencePeriod: '2026',
      stage: 'cr_review',
      ownerRole: 'Responsabile UdP',
      dueDate: new Date('2027-04-30T00:00:00Z'),
      escalationLevel: 1,
      events: { create: [{ kind: 'escalated', note: 'Livello 1', at: new Date('2027-05-01T07:00:00Z') }] },
    },
  });
  deliverableId = deliverable.id;
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: coordinator });

describe('pages opened from e-mail links', () => {
  it('shows a meeting in Italian with its agenda, escaping what people typed', async () => {
    const response = await get(`/riunioni/${meetingId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('<html lang="it">');
    expect(response.body).toContain('Comitato Ristretto');
    expect(response.body).toContain('martedì 9 marzo 2027, ore 18:00');
    expect(response.body).toContain('Sala Giunta, Comune di Crema');
    expect(response.body).toContain('Stato: convocata · aggiornamento n. 1');
    expect(response.body).toContain('Riparto &lt;script&gt;alert(1)&lt;/script&gt; <em>(integrazione)</em>');
    expect(response.body).not.toContain('<script>alert(1)');
  });

  it('shows where the verbale stands and its deadline', async () => {
    const response = await get(`/riunioni/${meetingId}/verbale`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('caricato, in attesa di approvazione');
    expect(response.body).toContain('mercoledì 24 marzo 2027');
    expect(response.body).not.toContain('Scarica il verbale'); // no file yet
  });

  it('shows a deliverable with stage, deadline, escalation level and history', async () => {
    const response = await get(`/scadenze/${deliverableId}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Report annuale 2026');
    expect(response.body).toContain(
      '<dt class="col-sm-3">Fase</dt><dd class="col-sm-9">esame del Comitato Ristretto</dd>',
    );
    expect(response.body).toContain('venerdì 30 aprile 2027');
    expect(response.body).toContain('livello di sollecito 1');
    expect(response.body).toContain('<td>sollecito</td><td>Livello 1</td>');
    expect(response.body).toContain(`action="/scadenze/${deliverableId}/proroga"`);
  });

  it('shows a body with its sessions, each linking to its page (the link of compliance warnings)', async () => {
    const response = await get(`/organi/${crId}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Comitato Ristretto');
    expect(response.body).toContain(
      `<td><a href="/riunioni/${meetingId}">martedì 9 marzo 2027, ore 18:00</a></td><td>convocata</td>`,
    );
  });

  it.each([
    ['/riunioni/not-a-uuid', 'Seduta non trovata'],
    ['/riunioni/00000000-0000-4000-8000-000000000000', 'Seduta non trovata'],
    ['/riunioni/00000000-0000-4000-8000-000000000000/verbale', 'Seduta non trovata'],
    ['/scadenze/00000000-0000-4000-8000-000000000000', 'Scadenza non trovata'],
    ['/organi/00000000-0000-4000-8000-000000000000', 'Organo non trovato'],
  ])('%s -> an Italian 404 page', async (url, what) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain(`<h1>${what}</h1>`);
  });
});
