/**
 * ATS convenes the Cabina di Regia from the pages the Ufficio di Piano uses, and nothing else: one ATS serving
 * two ambiti prepares and releases the convocation of each ambito's Cabina di Regia, reads its roll call by
 * organisation, finds both ambiti's sessions in Le mie riunioni, and is refused (403) on a Comitato Ristretto
 * meeting. Real Postgres; no Temporal (the release is stored and audited; the workflow would send it).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE_REQUESTED } from '../../activities/meetings';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { DEFAULT_RULES } from '../../domain/index';
import { formatDate } from '../../notifications/format';
import { createAttendanceFixture, type AttendanceFixture } from '../../reports/fixture';
import { actAs } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createMeeting } from '../workflows/fixture';

let db: TestDatabase;
let app: FastifyInstance;
let here: AttendanceFixture;
let ats: Record<string, string>;
const meetings: Record<'cabinaHere' | 'cabinaThere' | 'inSession' | 'comitato', string> = {
  cabinaHere: '',
  cabinaThere: '',
  inSession: '',
  comitato: '',
};

beforeAll(async () => {
  db = await createTestDatabase();
  here = await createAttendanceFixture(db.prisma, 'r');
  const there = await createAttendanceFixture(db.prisma, 'x', here.atsOrganisationId);
  meetings.cabinaHere = (await createMeeting(db.prisma, here.bodyId, '2037-03-10', ['Programmazione'])).id;
  meetings.cabinaThere = (await createMeeting(db.prisma, there.bodyId, '2037-03-11', ['Programmazione'])).id;
  // A session under way, convened: its roll call is open on the Seduta page.
  const inSession = await db.prisma.meeting.create({
    data: {
      bodyId: here.bodyId,
      plannedDateKey: 'in-corso',
      status: 'convened',
      startsAt: new Date(Date.now() - 3_600_000),
      endsAt: new Date(Date.now() + 3_600_000),
    },
  });
  meetings.inSession = inSession.id;
  const comitato = await db.prisma.body.create({
    data: {
      ambitoId: here.ambitoId,
      code: 'comitato-ristretto',
      kind: 'comitato_ristretto',
      name: 'Comitato Ristretto',
      convenerRole: 'Coordinatore del Comitato Ristretto',
      rules: DEFAULT_RULES.comitato_ristretto,
    },
  });
  meetings.comitato = (await createMeeting(db.prisma, comitato.id, '2037-03-02')).id;
  app = await buildServer({ db: db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  // Hugo works for ATS and holds no seat: convening is his organisation's role.
  ats = await actAs(db.prisma, here.people.hugo.email);
});

afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

const inject = (method: 'GET' | 'POST', url: string, form?: Record<string, string>) =>
  app.inject({
    method,
    url,
    headers: {
      ...ats,
      accept: 'text/html',
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { payload: new URLSearchParams({ _csrf: '', ...form }).toString() } : {}),
  });

describe('ATS and the Cabina di Regia', () => {
  it('prepares the agenda and releases the convocation of the Cabina di Regia of each ambito it serves', async () => {
    for (const id of [meetings.cabinaHere, meetings.cabinaThere]) {
      expect((await inject('GET', `/sedute/${id}`)).statusCode).toBe(200);
      // The agenda before the convocation is stored at once (additions go through the workflow).
      const { id: itemId } = await db.prisma.agendaItem.findFirstOrThrow({ where: { meetingId: id } });
      const item = await inject('POST', `/sedute/${id}/punti/${itemId}`, { title: 'Rete dei consultori' });
      expect(item.statusCode).toBe(303);
      const release = await inject('POST', `/api/v1/meetings/${id}/convocation/release`);
      expect(release.statusCode).toBe(202);
      const audit = await db.prisma.auditEvent.findFirstOrThrow({
        where: { entity: 'meeting', entityId: id, action: RELEASE_REQUESTED },
      });
      expect(audit.actor).toBe(`person:${here.people.hugo.id}/token:test`);
    }
    expect(
      await db.prisma.agendaItem.count({
        where: {
          meetingId: { in: [meetings.cabinaHere, meetings.cabinaThere] },
          title: 'Rete dei consultori',
        },
      }),
    ).toBe(2);
  });

  it('is refused on a Comitato Ristretto meeting: 403, nothing released', async () => {
    expect((await inject('GET', `/sedute/${meetings.comitato}`)).statusCode).toBe(403);
    const release = await inject('POST', `/api/v1/meetings/${meetings.comitato}/convocation/release`);
    expect(release.statusCode).toBe(403);
    expect(release.json()).toMatchObject({ error: 'non_consentito' });
    expect((await inject('POST', `/sedute/${meetings.comitato}/convocazione`)).statusCode).toBe(403);
    expect(await db.prisma.auditEvent.count({ where: { entityId: meetings.comitato } })).toBe(0);
  });

  it('takes the roll call of the Cabina di Regia grouped by organisation', async () => {
    const page = await inject('GET', `/sedute/${meetings.inSession}`);
    expect(page.statusCode).toBe(200);
    // The title names the day the session is held, whatever its key (here not a date at all).
    const held = await db.prisma.meeting.findUniqueOrThrow({ where: { id: meetings.inSession } });
    expect(page.body).toContain(`seduta di ${formatDate(held.startsAt.toISOString(), 'it')}`);
    const headings = [...page.body.matchAll(/<th scope="colgroup" colspan="5">([^<]+)<\/th>/g)].map(
      (m) => m[1],
    );
    expect(headings).toEqual(['ATS Val Padana (r)', 'Comune di Crema (r)', 'Comunità Sociale Cremasca (r)']);
    // Every holder sits under their organisation's heading: the ATS director right after the ATS heading.
    const atsGroup = page.body.slice(
      page.body.indexOf('ATS Val Padana (r)</th>'),
      page.body.indexOf('Comune di Crema (r)</th>'),
    );
    expect(atsGroup).toContain('Elena Marè');
    expect(atsGroup).not.toContain('Ada Bonì');
  });

  it('finds the Cabina di Regia of both ambiti among its meetings, each named with its ambito and linked to its Seduta page', async () => {
    const page = await inject('GET', '/mie-riunioni');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cabina di Regia Integrata</strong> (Ambito delle presenze r)');
    expect(page.body).toContain('Cabina di Regia Integrata</strong> (Ambito delle presenze x)');
    expect(page.body).toContain(`href="/sedute/${meetings.cabinaThere}"`);
    expect(page.body).not.toContain('Comitato Ristretto');
  });

  it('sees the year of the Cabina di Regia of both ambiti in one Calendario, and nothing else of theirs', async () => {
    const page = await inject('GET', '/calendario?anno=2038');
    expect(page.statusCode).toBe(200);
    const sessions = (ambito: string) =>
      page.body.match(new RegExp(`Cabina di Regia Integrata – Ambito delle presenze ${ambito}`, 'g'))
        ?.length ?? 0;
    // Four sessions a year each (March, June, September, December), plus the ambito's name in the filter.
    expect(sessions('r')).toBe(4 + 1);
    expect(sessions('x')).toBe(4 + 1);
    expect(page.body).not.toContain('Comitato Ristretto');
    expect(page.body).not.toContain('Scadenza:');
    const march = await inject('GET', '/calendario?anno=2038&vista=mese&m=3');
    expect(march.statusCode).toBe(200);
    expect(march.body.match(/<div class="small mt-1">/g)).toHaveLength(2);
  });

  it('sends a member with no ambito-wide role and no body to convene from Calendario to their meetings', async () => {
    const mayor = await actAs(db.prisma, here.people.ada.email);
    const page = await app.inject({ url: '/calendario', headers: { ...mayor, accept: 'text/html' } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/mie-riunioni');
  });
});
