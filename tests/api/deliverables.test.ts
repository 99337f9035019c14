/**
 * The deliverable routes on the real stack (Postgres, offline Temporal server, real worker): the year's
 * list, and submit / extend / approve / waive reaching the deliverable workflow, whose activity stores the
 * event. Rejected requests leave rows, history and audit untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeliverableKind } from '../../domain/index';
import { createDeliverable } from '../workflows/fixture';
import { useApiWorld } from './support';

const ids: Record<'report' | 'piano' | 'semestrale' | 'later', string> = {
  report: '',
  piano: '',
  semestrale: '',
  later: '',
};

const world = useApiWorld('api-deliverables');

beforeAll(async () => {
  const create = async (kind: DeliverableKind, period: string, due: string) =>
    (await createDeliverable(world.stack.db.prisma, world.district.ambitoId, kind, period, due)).id;
  ids.report = await create('report_annuale', '2026', '2027-04-30');
  ids.piano = await create('piano_operativo', '2028', '2027-12-31');
  ids.semestrale = await create('aggiornamento_semestrale', '2027-S1', '2027-07-31');
  ids.later = await create('report_annuale', '2027', '2028-04-30');
});

async function post(url: string, payload?: object, server = world.app) {
  const response = await server.inject({
    method: 'POST',
    url,
    payload,
    headers: world.coordinator,
  });
  return { status: response.statusCode, body: response.json() };
}

async function snapshot() {
  const db = world.stack.db.prisma;
  const [deliverables, events, audit] = await Promise.all([
    db.deliverable.findMany({ orderBy: { id: 'asc' } }),
    db.deliverableEvent.count(),
    db.auditEvent.count(),
  ]);
  return { deliverables, events, audit };
}

/** Polls the row until the workflow's activity has stored the event (bounded, 100 tries). */
async function eventually(
  id: string,
  check: (d: { stage: string; status: string; dueDate: Date }) => boolean,
) {
  for (let i = 0; ; i++) {
    const d = await world.stack.db.prisma.deliverable.findUniqueOrThrow({ where: { id } });
    if (check(d) || i >= 100) return d;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /api/v1/deliverables', () => {
  it('lists what is due in the year, earliest first', async () => {
    const response = await world.app.inject({
      method: 'GET',
      url: '/api/v1/deliverables?year=2027',
      headers: world.coordinator,
    });
    expect(response.statusCode).toBe(200);
    const list = response.json().deliverables as { id: string; dueDate: string; stage: string }[];
    expect(list.map((d) => [d.id, d.dueDate, d.stage])).toEqual([
      [ids.report, '2027-04-30', 'udp_draft'],
      [ids.semestrale, '2027-07-31', 'udp_draft'],
      [ids.piano, '2027-12-31', 'udp_draft'],
    ]);
  });

  it.each(['?year=duemila', '', '?year=2027&colour=red'])('bad query %s -> 400', async (query) => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/deliverables${query}`,
      headers: world.coordinator,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('richiesta_non_valida');
  });
});

describe('events forwarded to the deliverable workflow', () => {
  it('rejects wrong stages, earlier deadlines and missing reasons, changing nothing', async () => {
    const before = await snapshot();
    const cases: [string, object | undefined, number, string?][] = [
      ['submit', { stage: 'cr_review' }, 409, 'stage'],
      ['submit', { stage: 'finito' }, 400, 'stage'],
      ['extend', { dueAt: '2027-04-01', reason: 'Dati ISTAT in ritardo' }, 400, 'dueAt'],
      ['extend', { dueAt: '2027-05-31' }, 400, 'reason'],
      ['extend', { dueAt: '2027-02-30', reason: 'Dati ISTAT in ritardo' }, 400, 'dueAt'],
      ['waive', { reason: '' }, 400, 'reason'],
      ['approve', undefined, 409],
    ];
    for (const [action, payload, status, field] of cases) {
      const response = await post(`/api/v1/deliverables/${ids.report}/${action}`, payload);
      expect(response.status, `${action} ${JSON.stringify(payload)}`).toBe(status);
      if (field) expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const unknown = await post('/api/v1/deliverables/00000000-0000-4000-8000-000000000000/waive', {
      reason: 'prova',
    });
    expect(unknown.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('a submission moves the stage on; an extension moves the deadline; both carry who asked', async () => {
    const db = world.stack.db.prisma;
    expect((await post(`/api/v1/deliverables/${ids.report}/submit`, { stage: 'udp_draft' })).status).toBe(
      202,
    );
    expect((await eventually(ids.report, (d) => d.stage === 'cr_review')).stage).toBe('cr_review');

    const extend = { dueAt: '2027-05-31', reason: 'Dati ISTAT in ritardo' };
    expect((await post(`/api/v1/deliverables/${ids.report}/extend`, extend)).status).toBe(202);
    const row = await eventually(ids.report, (d) => d.dueDate.toISOString().startsWith('2027-05-31'));
    expect(row.dueDate.toISOString().slice(0, 10)).toBe('2027-05-31');

    const history = await db.deliverableEvent.findMany({
      where: { deliverableId: ids.report },
      orderBy: { at: 'asc' },
    });
    expect(history.filter((e) => e.actor === world.coordinatorActor).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['submitted', 'deadline_extended']),
    );
    const audit = await db.auditEvent.findMany({
      where: { entityId: ids.report, actor: world.coordinatorActor },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'deliverable.submit_requested',
      'deliverable.extension_requested',
    ]);

    // The Comitato Ristretto's review passes it to the Assemblea, whose approval closes it.
    expect((await post(`/api/v1/deliverables/${ids.report}/submit`, { stage: 'cr_review' })).status).toBe(
      202,
    );
    expect((await eventually(ids.report, (d) => d.stage === 'ads_approval')).stage).toBe('ads_approval');
    expect((await post(`/api/v1/deliverables/${ids.report}/approve`)).status).toBe(202);
    expect((await eventually(ids.report, (d) => d.status === 'approved')).stage).toBe('completed');
  });

  it('a waiver closes the deliverable; nothing more is accepted afterwards', async () => {
    expect(
      (await post(`/api/v1/deliverables/${ids.semestrale}/waive`, { reason: 'Aggiornamento non necessario' }))
        .status,
    ).toBe(202);
    expect((await eventually(ids.semestrale, (d) => d.status === 'waived')).status).toBe('waived');
    const after = await post(`/api/v1/deliverables/${ids.semestrale}/submit`, { stage: 'udp_draft' });
    expect(after.status).toBe(409);
    expect(after.body.error).toBe('adempimento_concluso');
  });

  it('without Temporal a change is refused with 503 and nothing is stored', async () => {
    const before = await snapshot();
    const response = await post(
      `/api/v1/deliverables/${ids.piano}/submit`,
      { stage: 'udp_draft' },
      world.alone,
    );
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/nessuna modifica/);
    expect(await snapshot()).toEqual(before);
  });
});
