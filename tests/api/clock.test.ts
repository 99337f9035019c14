/**
 * Every page that judges "today" reads the API's clock (buildServer's `now`), not the machine's: beside a
 * time-skipping server (the year preview, the stories in tests) that clock is the workflows' virtual one,
 * and a page on the real clock would call an upcoming session past. Here the API's clock is in May 2021,
 * years before the machine's, so a page that read the machine's clock would show another year and would
 * call both sessions past. Real Postgres; no Temporal, as when the API runs alone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { actAs } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createDistrict, createMeeting, type District } from '../workflows/fixture';
import { COORDINATORE_FIXTURE } from './support';

const API_NOW = Date.parse('2021-05-19T10:00:00+02:00');

let db: TestDatabase;
let app: FastifyInstance;
let district: District;
let coordinator: Record<string, string>;
const sessions: Record<'may' | 'june', string> = { may: '', june: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  district = await createDistrict(db.prisma);
  sessions.may = (await createMeeting(db.prisma, district.bodies.cr, '2021-05-11')).id;
  sessions.june = (await createMeeting(db.prisma, district.bodies.cr, '2021-06-08')).id;
  app = await buildServer({
    db: db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    now: () => API_NOW,
  });
  coordinator = await actAs(db.prisma, COORDINATORE_FIXTURE);
});
afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

const page = async (url: string, headers = coordinator) => {
  const response = await app.inject({ method: 'GET', url, headers });
  expect(response.statusCode, url).toBe(200);
  return response.body;
};

describe("pages judge today on the API's clock", () => {
  it('Oggi, the calendar, the deadlines, the attendance and the monitoring open on its day and year', async () => {
    expect(await page('/')).toContain('19 maggio 2021');
    expect(await page('/calendario')).toContain('<h1>Calendario 2021</h1>');
    expect(await page('/calendario?vista=mese')).toContain('<h1>Calendario – maggio 2021</h1>');
    expect(await page('/scadenze')).toContain('<h1>Scadenze 2021</h1>');
    expect(await page('/presenze')).toContain('value="2021-01-01"');
    expect(await page('/monitoraggio')).toContain('<h1>Monitoraggio dell&#x27;anno 2021</h1>');
  });

  it('Le mie riunioni splits past and upcoming sessions at its instant', async () => {
    const mayor = await actAs(db.prisma, 'sindaco1@example.org');
    const response = await app.inject({ method: 'GET', url: '/api/v1/my-meetings', headers: mayor });
    expect(response.statusCode).toBe(200);
    const { upcoming, past } = response.json<{ upcoming: { id: string }[]; past: { id: string }[] }>();
    expect(upcoming.map((m) => m.id)).toEqual([sessions.june]);
    expect(past.map((m) => m.id)).toEqual([sessions.may]);
  });

  it('the people list shows the seats held on its day', async () => {
    await db.prisma.membership.updateMany({
      where: { personId: district.people.sindaco2 },
      data: { validTo: new Date('2022-12-31T00:00:00Z') },
    });
    const response = await app.inject({ method: 'GET', url: '/api/v1/people', headers: coordinator });
    expect(response.statusCode).toBe(200);
    const people = response.json<{ people: { id: string; seats: unknown[] }[] }>().people;
    expect(people.find((p) => p.id === district.people.sindaco2)?.seats).toHaveLength(1);
  });
});
