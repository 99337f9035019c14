import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../api/server';
import { loadConfig } from '../app/config';
import { actAs } from '../tests/support/auth';
import { createTestDatabase, type TestDatabase } from '../tests/support/database';
import type { AttendanceReport } from './attendance';
import { readCsv } from './exports/read-back';
import { createAttendanceFixture, type AttendanceFixture } from './fixture';

describe('GET /api/v1/reports/attendance and /monitoring: who sees what', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let here: AttendanceFixture;
  let elsewhere: AttendanceFixture;
  const url = (bodyId: string, extra = '') =>
    `/api/v1/reports/attendance?body=${bodyId}&from=2027-01-01&to=2027-12-31${extra}`;
  const get = async (email: string | null, path: string) =>
    app.inject({ method: 'GET', url: path, headers: email ? await actAs(db.prisma, email) : {} });

  beforeAll(async () => {
    db = await createTestDatabase();
    here = await createAttendanceFixture(db.prisma, 'r');
    // One ATS convenes the Cabina di Regia of both ambiti, as ATS Val Padana does.
    elsewhere = await createAttendanceFixture(db.prisma, 'x', here.atsOrganisationId);
    const udpAltro = await db.prisma.person.create({
      data: { fullName: 'Giulia Mazzà', email: 'udp.altro@example.org' },
    });
    app = await buildServer({ db: db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
    // The roles the coordinator names; ATS's and the members' follow from the fixture's data.
    await db.prisma.ufficioDiPianoMember.createMany({
      data: [
        { ambitoId: elsewhere.ambitoId, personId: udpAltro.id },
        { ambitoId: here.ambitoId, personId: here.people.bruno.id },
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
  });

  it('ATS gets every row of the Cabina di Regia, here and in the other ambito it serves, as CSV', async () => {
    for (const f of [here, elsewhere]) {
      const response = await get(here.people.fabio.email, url(f.bodyId, '&format=csv'));
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        /attachment; filename="presenze-cabina-di-regia-2027-01-01-2027-12-31\.csv"/,
      );
      const rows = readCsv(response.rawPayload);
      expect(rows.slice(1).map((r) => r[0])).toHaveLength(3);
    }
  });

  it('a member sees only their own rows', async () => {
    const response = await get(here.people.ada.email, url(here.bodyId));
    expect(response.statusCode).toBe(200);
    const report = response.json<AttendanceReport>();
    expect(report.scope).toBe('own');
    expect(new Set(report.meetings.flatMap((m) => m.seats.map((s) => s.holder)))).toEqual(
      new Set(['Ada Bonì']),
    );
    expect(report.people.map((p) => p.person)).toEqual(['Ada Bonì']);
  });

  it('another ambito sees nothing: 403, and no figure in the answer', async () => {
    const response = await get('udp.altro@example.org', url(here.bodyId, '&format=csv'));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'non_consentito' });
    expect(response.body).not.toContain('Bonì');
  });

  it('refuses the anonymous, bad periods and unknown bodies with an Italian message', async () => {
    expect((await get(null, url(here.bodyId))).statusCode).toBe(401);
    const backwards = await get(
      here.people.fabio.email,
      `/api/v1/reports/attendance?body=${here.bodyId}&from=2027-12-31&to=2027-01-01&format=xlsx`,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().fields).toEqual([
      { field: 'to', message: 'deve essere uguale o successiva a from' },
    ]);
    const badFormat = await get(here.people.fabio.email, url(here.bodyId, '&format=doc'));
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().fields[0].field).toBe('format');
    const unknown = await get(here.people.fabio.email, url('00000000-0000-4000-8000-000000000000'));
    expect(unknown.statusCode).toBe(404);
  });

  it('the monitoring of the year: the Ufficio di Piano of the ambito reads it, a member does not', async () => {
    const code = 'presenze-r';
    const udp = await get(here.people.bruno.email, `/api/v1/reports/monitoring?year=2027&ambito=${code}`);
    expect(udp.statusCode).toBe(200);
    expect(
      udp
        .json()
        .bodies.map((b: { body: string; held: number; cancelled: number }) => [b.body, b.held, b.cancelled]),
    ).toEqual([['Cabina di Regia Integrata', 5, 1]]);
    const pdf = await get(
      here.people.bruno.email,
      `/api/v1/reports/monitoring?year=2027&ambito=${code}&format=pdf`,
    );
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(
      (await get(here.people.ada.email, `/api/v1/reports/monitoring?year=2027&ambito=${code}`)).statusCode,
    ).toBe(403);
  });
});
