/**
 * The HTTP API over a real, migrated and seeded Postgres: health, bodies, and the 2027 calendar of the
 * Cremasco district checked against the rules of the 2018 agreement.
 */
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { HolidayCalendar } from '../../domain';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let app: FastifyInstance;
let coordinator: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  app = await buildServer({ db: database.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  coordinator = await actAs(database.prisma, COORDINATORE);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

async function get(url: string) {
  const response = await app.inject({ method: 'GET', url, headers: coordinator });
  return { status: response.statusCode, body: response.json() };
}

interface Entry {
  type: 'meeting' | 'deadline';
  at: string;
  bodyId?: string;
  bodyKind?: string;
  bodyName?: string;
  plannedDate?: string;
  start?: string;
  end?: string;
  convocationDeadline?: string;
  approves?: { kind: string; year: number }[];
  kind?: string;
  year?: number;
  dueDate?: string;
  meetingId?: string | null;
}

describe('GET /healthz', () => {
  it('answers 200 when the database answers', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
  });
});

describe('GET /api/v1/bodies', () => {
  it('lists every body of the 2018 agreement with its rules', async () => {
    const { status, body } = await get('/api/v1/bodies');
    expect(status).toBe(200);
    expect(body.ambito.code).toBe('cremasco');
    const kinds = body.bodies.map((b: { kind: string }) => b.kind);
    expect(kinds.filter((k: string) => k === 'assemblea_sub_ambito')).toHaveLength(6);
    for (const kind of [
      'assemblea_sindaci',
      'comitato_ristretto',
      'udp_nucleo_operativo',
      'udp_coordinamento_tecnico',
      'udp_integrato',
      'cabina_di_regia',
      'sovraintendenza',
    ]) {
      expect(kinds).toContain(kind);
    }
    const cr = body.bodies.find((b: { kind: string }) => b.kind === 'comitato_ristretto');
    expect(cr.rules.compliance.everyCalendarMonth).toBe(true);
    expect(cr.rules.notice.ordinaryFreeDays).toBe(5);
  });
});

describe('GET /api/v1/calendar for 2027', () => {
  let entries: Entry[];
  let meetings: Entry[];
  beforeAll(async () => {
    const { status, body } = await get('/api/v1/calendar?from=2027-01-01&to=2027-12-31');
    expect(status).toBe(200);
    entries = body.entries;
    meetings = entries.filter((e) => e.type === 'meeting');
  });

  it('has 12 Comitato Ristretto meetings, one in every month', () => {
    const cr = meetings.filter((m) => m.bodyKind === 'comitato_ristretto');
    expect(cr).toHaveLength(12);
    expect(new Set(cr.map((m) => m.start!.slice(0, 7))).size).toBe(12);
  });

  it('has at least 4 meetings for each of the 6 sub-ambiti', () => {
    const bySubAmbito = new Map<string, number>();
    for (const m of meetings.filter((m) => m.bodyKind === 'assemblea_sub_ambito')) {
      bySubAmbito.set(m.bodyId!, (bySubAmbito.get(m.bodyId!) ?? 0) + 1);
    }
    expect(bySubAmbito.size).toBe(6);
    for (const count of bySubAmbito.values()) expect(count).toBeGreaterThanOrEqual(4);
  });

  it('never leaves more than 4 months between Cabina di Regia meetings', async () => {
    // Include the last meeting of 2026 so the gap into January counts too.
    const { body } = await get('/api/v1/calendar?from=2026-09-01&to=2027-12-31');
    const starts = (body.entries as Entry[])
      .filter((e) => e.bodyKind === 'cabina_di_regia')
      .map((e) => DateTime.fromISO(e.start!));
    expect(starts.filter((s) => s.year === 2027).length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]! <= starts[i - 1]!.plus({ months: 4 })).toBe(true);
    }
    expect(DateTime.fromISO('2027-12-31') <= starts.at(-1)!.plus({ months: 4 })).toBe(true);
  });

  it('has the Assemblea sessions approving the Report annuale 2026 and the Piano Operativo 2028 in time', () => {
    const assemblea = meetings.filter((m) => m.bodyKind === 'assemblea_sindaci');
    const report = assemblea.find((m) =>
      m.approves!.some((a) => a.kind === 'report_annuale' && a.year === 2026),
    );
    const piano = assemblea.find((m) =>
      m.approves!.some((a) => a.kind === 'piano_operativo' && a.year === 2028),
    );
    expect(report).toBeDefined();
    expect(piano).toBeDefined();
    expect(report!.start! <= '2027-04-30T23:59:59+02:00' && report!.start! >= '2027-01-01').toBe(true);
    expect(piano!.start!.startsWith('2027-12')).toBe(true);
    const deadlines = entries.filter((e) => e.type === 'deadline');
    expect(deadlines).toContainEqual(
      expect.objectContaining({ kind: 'report_annuale', year: 2026, dueDate: '2027-04-30' }),
    );
    expect(deadlines).toContainEqual(
      expect.objectContaining({ kind: 'piano_operativo', year: 2028, dueDate: '2027-12-31' }),
    );
  });

  it('puts no meeting on a weekend or an Italian public holiday', () => {
    const holidays = new HolidayCalendar();
    for (const m of meetings) {
      const start = DateTime.fromISO(m.start!, { setZone: true });
      expect(start.weekday, `${m.bodyName} ${m.start}`).toBeLessThanOrEqual(5);
      expect(holidays.isHoliday(start.toISODate()!), `${m.bodyName} ${m.start}`).toBe(false);
    }
  });

  it('gives instants with their offset, the same local hour across daylight saving, sorted by time', () => {
    const cr = meetings.filter((m) => m.bodyKind === 'comitato_ristretto');
    expect(cr.find((m) => m.start!.startsWith('2027-01'))!.start).toMatch(/T18:00:00\+01:00$/);
    expect(cr.find((m) => m.start!.startsWith('2027-07'))!.start).toMatch(/T18:00:00\+02:00$/);
    const times = entries.map((e) => DateTime.fromISO(e.at).toMillis());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const m of meetings) expect(m.convocationDeadline! < m.start!).toBe(true);
  });
});

describe('calendar with stored changes', () => {
  it('shows a moved occurrence at its new time and drops a cancelled one', async () => {
    const cr = await database.prisma.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } });
    const meetingsOf = async () => {
      const { body } = await get(`/api/v1/calendar?from=2028-03-01&to=2028-04-30&body=${cr.id}`);
      return (body.entries as Entry[]).filter((e) => e.type === 'meeting');
    };
    const before = await meetingsOf();
    expect(before).toHaveLength(2);
    const [march, april] = before;
    await database.prisma.meeting.create({
      data: {
        bodyId: cr.id,
        plannedDateKey: march!.plannedDate!,
        startsAt: new Date('2028-03-16T16:30:00Z'),
        endsAt: new Date('2028-03-16T18:30:00Z'),
      },
    });
    await database.prisma.meeting.create({
      data: {
        bodyId: cr.id,
        plannedDateKey: april!.plannedDate!,
        status: 'cancelled',
        startsAt: new Date(april!.start!),
        endsAt: new Date(april!.end!),
      },
    });
    const after = await meetingsOf();
    expect(after).toHaveLength(1);
    expect(after[0]!.start).toBe('2028-03-16T17:30:00+01:00');
    expect(after[0]!.meetingId).toEqual(expect.any(String));
  });
});

describe('calendar answers after other writes', () => {
  it('follows a rules change and a new local feast at once (no stale answer)', async () => {
    const cr = await database.prisma.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } });
    const startsOf = async () => {
      const { body } = await get(`/api/v1/calendar?from=2029-05-01&to=2029-05-31&body=${cr.id}`);
      return (body.entries as Entry[]).filter((e) => e.type === 'meeting').map((e) => e.start);
    };
    // The first Tuesday of May 2029 is Labour Day: the next working day, Wednesday 2 May, at 18:00, twice
    // (the second answer is the remembered one).
    expect(await startsOf()).toEqual(['2029-05-02T18:00:00+02:00']);
    expect(await startsOf()).toEqual(['2029-05-02T18:00:00+02:00']);

    const rules = cr.rules as { cadence: Record<string, unknown> };
    await database.prisma.body.update({
      where: { id: cr.id },
      data: { rules: { ...rules, cadence: { ...rules.cadence, time: '17:00' } } },
    });
    expect(await startsOf()).toEqual(['2029-05-02T17:00:00+02:00']);

    await database.prisma.localFeastDay.create({
      data: { ambitoId: cr.ambitoId, month: 5, day: 2, name: 'Festa di prova' },
    });
    // Not a working day any more: the next working day, as the Comitato Ristretto's rule says.
    expect(await startsOf()).toEqual(['2029-05-03T17:00:00+02:00']);

    await database.prisma.localFeastDay.deleteMany({ where: { ambitoId: cr.ambitoId, month: 5, day: 2 } });
    await database.prisma.body.update({ where: { id: cr.id }, data: { rules: cr.rules as object } });
    expect(await startsOf()).toEqual(['2029-05-02T18:00:00+02:00']);
  });
});

describe('bad calendar queries', () => {
  it.each([
    ['/api/v1/calendar?to=2027-12-31', 'from'],
    ['/api/v1/calendar?from=2027-13-01&to=2027-12-31', 'from'],
    ['/api/v1/calendar?from=2027-02-30&to=2027-12-31', 'from'],
    ['/api/v1/calendar?from=2027-12-31&to=2027-01-01', 'to'],
    ['/api/v1/calendar?from=2027-01-01&to=2040-01-01', 'to'],
    ['/api/v1/calendar?from=2027-01-01&to=2027-12-31&body=nope', 'body'],
    ['/api/v1/calendar?from=2027-01-01&to=2027-12-31&colour=red', 'colour'],
  ])('%s -> 400 naming %s', async (url, field) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body.error).toBe('richiesta_non_valida');
    expect(body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(body.message).toMatch(/^Richiesta non valida: /);
  });

  it('explains a missing parameter in Italian', async () => {
    const { body } = await get('/api/v1/calendar?from=2027-01-01');
    expect(body.fields).toEqual([{ field: 'to', message: expect.stringMatching(/atteso|ricevuto/) }]);
  });

  it('an unknown body id -> 404 naming body', async () => {
    const { status, body } = await get(
      '/api/v1/calendar?from=2027-01-01&to=2027-12-31&body=00000000-0000-4000-8000-000000000000',
    );
    expect(status).toBe(404);
    expect(body.fields[0].field).toBe('body');
  });
});
