/**
 * The coordinator changes a body's rules, on the real stack (Postgres, the offline Temporal server with time
 * skipping, the real worker): the rules are stored and audited, and the body's series plans by them — for a
 * body that had no cadence, the series starts. Rejected changes leave rules and audit untouched.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { listLiveObjects } from '../../activities/live';
import { DEFAULT_RULES, type Cadence } from '../../domain/index';
import { startSeriesWorkflow } from '../../workflows/client';
import { workflowId } from '../../workflows/contracts';
import type { SeriesState } from '../../workflows/series';
import { useApiWorld } from './support';

const world = useApiWorld('api-bodies');

/** First Monday of every month, 10:00, two hours: a cadence the Nucleo Operativo of the UdP does not have. */
const MONTHLY_MONDAY: Cadence = {
  months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  nth: 1,
  weekday: 1,
  time: '10:00',
  durationMinutes: 120,
  onHoliday: 'next-working-day',
};

/** A body of the district with its kind's default rules, which carry no cadence. */
function bodyWithoutCadence(code: string, kind: 'udp_coordinamento_tecnico' | 'udp_integrato') {
  return world.stack.db.prisma.body.create({
    data: {
      ambitoId: world.district.ambitoId,
      code,
      kind,
      name: code,
      convenerRole: 'Responsabile UdP',
      rules: DEFAULT_RULES[kind],
    },
  });
}

async function patchRules(id: string, payload: unknown, server = world.app) {
  const response = await server.inject({
    method: 'PATCH',
    url: `/api/v1/bodies/${id}/rules`,
    payload: payload as object,
    headers: world.coordinator,
  });
  return { status: response.statusCode, body: response.json() };
}

async function snapshot() {
  const db = world.stack.db.prisma;
  const [bodies, audit] = await Promise.all([
    db.body.findMany({ orderBy: { id: 'asc' }, select: { id: true, rules: true } }),
    db.auditEvent.count(),
  ]);
  return { bodies, audit };
}

async function seriesState(bodyId: string): Promise<SeriesState | null> {
  for (let i = 0; i < 100; i++) {
    const state = await world.stack.gc.client.workflow
      .getHandle(workflowId.series(bodyId))
      .query<SeriesState>('state')
      .catch(() => null);
    if (state?.current) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

describe('PATCH /api/v1/bodies/:id/rules', () => {
  it('gives a body without cadence one: stored, audited, and its series starts planning by it', async () => {
    const { udp } = world.district.bodies;
    const { status, body } = await patchRules(udp, { cadence: MONTHLY_MONDAY });
    expect(status).toBe(200);
    expect(body.processo).toEqual({ stato: 'notificato' });
    expect(body.body.rules).toEqual({ ...DEFAULT_RULES.udp_nucleo_operativo, cadence: MONTHLY_MONDAY });

    const stored = await world.stack.db.prisma.body.findUniqueOrThrow({ where: { id: udp } });
    expect(stored.rules).toEqual(body.body.rules);
    const audit = await world.stack.db.prisma.auditEvent.findFirstOrThrow({
      where: { entity: 'body', entityId: udp },
    });
    expect(audit).toMatchObject({ actor: world.coordinatorActor, action: 'body.rules_changed' });
    expect(audit.data).toMatchObject({ change: { cadence: MONTHLY_MONDAY } });

    const state = await seriesState(udp);
    expect(state?.current).not.toBeNull();
    const meeting = await world.stack.db.prisma.meeting.findUniqueOrThrow({
      where: { id: state!.current!.meetingId },
    });
    const starts = DateTime.fromJSDate(meeting.startsAt).setZone('Europe/Rome');
    expect(meeting.bodyId).toBe(udp);
    expect(meeting.startsAt.getTime()).toBeGreaterThan((await world.stack.env.currentTimeMs()) - 60_000);
    // The first Monday of its month at 10:00 (or the next working day, when that Monday is a holiday).
    expect(starts.toFormat('HH:mm')).toBe('10:00');
    expect(starts.day).toBeLessThanOrEqual(8);
    expect(meeting.endsAt.getTime() - meeting.startsAt.getTime()).toBe(120 * 60_000);
  });

  it('a series that waited months without a cadence plans from the change, not from when it began waiting', async () => {
    const db = world.stack.db.prisma;
    const tecnico = await bodyWithoutCadence('udp-coordinamento-tecnico', 'udp_coordinamento_tecnico');
    const waitingSince = new Date(await world.stack.env.currentTimeMs()).toISOString();
    expect(await startSeriesWorkflow(world.stack.gc, tecnico.id, waitingSince)).toBe(true);
    await world.stack.skipPast(new Date(Date.parse(waitingSince) + 70 * 86_400_000).toISOString());
    const changedAt = await world.stack.env.currentTimeMs();
    expect((await patchRules(tecnico.id, { cadence: MONTHLY_MONDAY })).status).toBe(200);
    const state = await seriesState(tecnico.id);
    expect(Date.parse(state!.current!.startsAt)).toBeGreaterThan(changedAt);
    // No occurrence in the months it waited was planned (and convened) after the fact.
    const meetings = await db.meeting.findMany({ where: { bodyId: tecnico.id } });
    expect(meetings.map((m) => m.id)).toEqual([state!.current!.meetingId]);
  });

  it('answers with a warning, deliverable and dates in Italian, when the new rules convene an Assemblea before the review', async () => {
    const { cr } = world.district.bodies;
    // Every month on the third Wednesday: the day before the Assemblea, whose convocation left a week earlier
    // (in at least one of April, July and December of every year).
    const dayBefore = { ...DEFAULT_RULES.comitato_ristretto.cadence!, nth: 3 as const, weekday: 3 };
    const warned = await patchRules(cr, { cadence: dayBefore });
    expect(warned.status).toBe(200);
    expect(warned.body.avvisi.length).toBeGreaterThan(0);
    for (const avviso of warned.body.avvisi)
      expect(avviso).toMatch(
        /^(Report annuale|Aggiornamento semestrale|Piano Operativo) \d{4} \(approvazione: Assemblea dei Sindaci, giovedì \d+ \S+ \d{4}\): la convocazione parte entro \S+ \d+ \S+ \d{4}, prima dell'esame in Comitato Ristretto di mercoledì \d+ \S+ \d{4}\.$/,
      );
    const stored = await world.stack.db.prisma.body.findUniqueOrThrow({ where: { id: cr } });
    expect(stored.rules).toMatchObject({ cadence: dayBefore }); // warned, not refused
    const restored = await patchRules(cr, { cadence: DEFAULT_RULES.comitato_ristretto.cadence });
    expect(restored.body.avvisi).toEqual([]);
  });

  it('refuses a malformed change, naming the field, and changes nothing', async () => {
    const before = await snapshot();
    const { cr } = world.district.bodies;
    const bad = await patchRules(cr, { cadence: { ...MONTHLY_MONDAY, weekday: 9 } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'cadence.weekday' })]);
    const unknown = await patchRules(cr, { frequenza: 'mensile' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([{ field: 'frequenza', message: 'parametro non previsto' }]);
    const empty = await patchRules(cr, {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/almeno una sezione/);
    const partialSection = await patchRules(cr, { notice: { ordinaryFreeDays: 3 } });
    expect(partialSection.status).toBe(400);
    expect(partialSection.body.fields).toEqual([expect.objectContaining({ field: 'notice.urgentHours' })]);
    const missing = await patchRules('00000000-0000-4000-8000-000000000000', { cadence: MONTHLY_MONDAY });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('organo_sconosciuto');
    const notAnId = await patchRules('udp', { cadence: MONTHLY_MONDAY });
    expect(notAnId.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('without Temporal the rules are stored and the reconciler will start the series (202)', async () => {
    const { sov } = world.district.bodies;
    const { status, body } = await patchRules(sov, { cadence: MONTHLY_MONDAY }, world.alone);
    expect(status).toBe(202);
    expect(body.processo.stato).toBe('in_attesa');
    const stored = await world.stack.db.prisma.body.findUniqueOrThrow({ where: { id: sov } });
    expect((stored.rules as { cadence: unknown }).cadence).toEqual(MONTHLY_MONDAY);
    expect((await listLiveObjects(world.stack.db.prisma)).seriesBodies).toContain(sov);
  });
});

describe('a series override that gives a body a cadence', () => {
  it('counts for the reconciler and the calendar as for planning', async () => {
    const db = world.stack.db.prisma;
    const integrato = await bodyWithoutCadence('udp-integrato', 'udp_integrato');
    expect((await listLiveObjects(db)).seriesBodies).not.toContain(integrato.id);
    await db.meetingSeries.create({
      data: { bodyId: integrato.id, name: 'UdP integrato', rulesOverride: { cadence: MONTHLY_MONDAY } },
    });
    expect((await listLiveObjects(db)).seriesBodies).toContain(integrato.id);
    // The calendar plans by the same rules as the series.
    const calendar = await world.app.inject({
      method: 'GET',
      url: `/api/v1/calendar?ambito=test&from=2027-01-01&to=2027-03-31&body=${integrato.id}`,
      headers: world.coordinator,
    });
    expect(calendar.statusCode).toBe(200);
    const meetings = (calendar.json().entries as { type: string; start: string }[]).filter(
      (e) => e.type === 'meeting',
    );
    expect(meetings.map((m) => m.start)).toEqual([
      '2027-01-04T10:00:00+01:00',
      '2027-02-01T10:00:00+01:00',
      '2027-03-01T10:00:00+01:00',
    ]);
  });
});
