/**
 * A body's seats and segreteria, through both doors: the JSON routes (assign a holder, set or clear the
 * standing delegate, end a membership; the segreteria's routes in api/staff) and the Organi page's forms,
 * which call the same operations. Bad input gets its message next to the field and changes nothing; a mayor
 * may do none of it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { actAs } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createDistrict, type District } from '../workflows/fixture';

let database: TestDatabase;
let district: District;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let seatOf: (code: string) => Promise<string>;
let membershipOf: (
  code: string,
) => Promise<{ id: string; personId: string; delegatePersonId: string | null }>;

beforeAll(async () => {
  database = await createTestDatabase();
  district = await createDistrict(database.prisma);
  app = await buildServer({
    db: database.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    governance: null,
  });
  coordinator = await actAs(database.prisma, 'coordudp@example.org');
  const db = database.prisma;
  seatOf = async (code) =>
    (await db.seat.findFirstOrThrow({ where: { bodyId: district.bodies.cr, code } })).id;
  membershipOf = async (code) =>
    // The seat's latest membership (ended or not).
    db.membership.findFirstOrThrow({
      where: { seat: { bodyId: district.bodies.cr, code } },
      orderBy: { validFrom: 'desc' },
    });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

/** Everything these operations could touch. */
async function snapshot() {
  const db = database.prisma;
  return {
    memberships: await db.membership.findMany({ orderBy: { id: 'asc' } }),
    segreteria: await db.segreteria.findMany({ orderBy: { id: 'asc' } }),
    // Not the token's own row, written the first time it acts.
    audit: await db.auditEvent.count({ where: { action: { not: { startsWith: 'auth.' } } } }),
  };
}

const json = (method: 'POST' | 'PUT', url: string, payload: unknown, headers = coordinator) =>
  app.inject({ method, url: `/api/v1${url}`, headers, payload: payload as object });

async function form(url: string, fields: Record<string, string>) {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: { ...coordinator, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: '', ...fields }).toString(),
  });
  return { status: response.statusCode, html: response.body, location: response.headers.location };
}

/** The message shown for the field with this id, when the field is marked invalid and points at it. */
function fieldError(html: string, id: string): string | null {
  const marked = new RegExp(`id="${id}"[^>]*aria-invalid="true"[^>]*aria-describedby="${id}-errore`).test(
    html,
  );
  return marked ? (new RegExp(`id="${id}-errore">([^<]*)<`).exec(html)?.[1] ?? null) : null;
}

describe('JSON routes', () => {
  it('refuses bad input with the field named, and changes nothing', async () => {
    const cr = district.bodies.cr;
    const seat = await seatOf('rappresentante-1');
    const before = await snapshot();
    const badDate = await json('POST', `/bodies/${cr}/seats/${seat}/holders`, {
      personId: district.people.presidente,
      validFrom: 'domani',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().fields.map((f: { field: string }) => f.field)).toContain('validFrom');
    // The current holder is in office since 2020: a new one cannot start before.
    const tooEarly = await json('POST', `/bodies/${cr}/seats/${seat}/holders`, {
      personId: district.people.presidente,
      validFrom: '2019-06-01',
    });
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().fields[0].field).toBe('validFrom');
    const { id } = await membershipOf('rappresentante-2');
    const selfDelegate = await json('PUT', `/bodies/${cr}/memberships/${id}/delegate`, {
      delegatePersonId: district.people.sindaco2,
    });
    expect(selfDelegate.statusCode).toBe(400);
    expect(selfDelegate.json().fields[0].field).toBe('delegatePersonId');
    const endsBeforeStart = await json('POST', `/bodies/${cr}/memberships/${id}/end`, {
      validTo: '2019-12-31',
    });
    expect(endsBeforeStart.statusCode).toBe(400);
    expect(endsBeforeStart.json().fields[0].field).toBe('validTo');
    expect(await snapshot()).toEqual(before);
  });

  it('assigns a holder (the previous one ends the day before), clears and sets a delegate, ends a membership', async () => {
    const db = database.prisma;
    const cr = district.bodies.cr;
    const seat = await seatOf('rappresentante-1');
    const previous = await membershipOf('rappresentante-1');
    const assigned = await json('POST', `/bodies/${cr}/seats/${seat}/holders`, {
      personId: district.people.sov2,
      validFrom: '2027-02-01',
    });
    expect(assigned.statusCode).toBe(201);
    const old = await db.membership.findUniqueOrThrow({ where: { id: previous.id } });
    expect(old.validTo?.toISOString().slice(0, 10)).toBe('2027-01-31');
    expect(assigned.json().membership.personId).toBe(district.people.sov2);

    const { id } = await membershipOf('rappresentante-2');
    const cleared = await json('PUT', `/bodies/${cr}/memberships/${id}/delegate`, { delegatePersonId: null });
    expect(cleared.statusCode).toBe(200);
    expect((await db.membership.findUniqueOrThrow({ where: { id } })).delegatePersonId).toBeNull();
    await json('PUT', `/bodies/${cr}/memberships/${id}/delegate`, {
      delegatePersonId: district.people.assessore2,
    });
    expect((await db.membership.findUniqueOrThrow({ where: { id } })).delegatePersonId).toBe(
      district.people.assessore2,
    );

    const ended = await json('POST', `/bodies/${cr}/memberships/${id}/end`, { validTo: '2027-06-30' });
    expect(ended.statusCode).toBe(200);
    expect((await db.membership.findUniqueOrThrow({ where: { id } })).validTo?.toISOString()).toBe(
      '2027-06-30T00:00:00.000Z',
    );
    const actions = await db.auditEvent.findMany({
      where: { entity: 'membership' },
      select: { action: true },
    });
    expect(actions.map((a) => a.action).sort()).toEqual([
      'membership.assigned',
      'membership.delegate_cleared',
      'membership.delegate_set',
      'membership.ended',
    ]);
  });

  it('a mayor may not change seats', async () => {
    const mayor = await actAs(database.prisma, 'sindaco1@example.org');
    const seat = await seatOf('coordinatore');
    const refused = await json(
      'POST',
      `/bodies/${district.bodies.cr}/seats/${seat}/holders`,
      { personId: district.people.sindaco1, validFrom: '2027-01-01' },
      mayor,
    );
    expect(refused.statusCode).toBe(403);
  });
});

describe('the Organi page', () => {
  it('shows the seats’ and segreteria’s forms to the Ufficio di Piano', async () => {
    const page = await app.inject({
      method: 'GET',
      url: `/organi/${district.bodies.cr}`,
      headers: { ...coordinator, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    const seat = await seatOf('coordinatore');
    expect(page.body).toContain(`id="titolare-${seat}"`);
    expect(page.body).toContain('id="segreteria-persona"');
    expect(page.body).toContain('<datalist id="persone">');
  });

  it('names the problem next to the field, keeps what was typed and changes nothing', async () => {
    const cr = district.bodies.cr;
    const seat = await seatOf('coordinatore');
    const before = await snapshot();
    const unknown = await form(`/organi/${cr}/seggi/${seat}/titolare`, {
      personId: 'nessuno@example.org',
      validFrom: '2027-03-01',
    });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown.html, `titolare-${seat}`)).toBe('nessuna persona registrata con questa e-mail');
    expect(unknown.html).toContain('value="nessuno@example.org"');
    // The refused seat's section is the one open.
    expect(unknown.html.match(/<details class="mb-2" open>/g)).toHaveLength(1);
    const { id } = await membershipOf('coordinatore');
    const badEnd = await form(`/organi/${cr}/incarichi/${id}/fine`, { validTo: '' });
    expect(badEnd.status).toBe(400);
    expect(fieldError(badEnd.html, `fine-${id}`)).toBe('indicare una data (AAAA-MM-GG)');
    const badSegreteria = await form(`/organi/${cr}/segreteria`, { personId: '' });
    expect(badSegreteria.status).toBe(400);
    expect(fieldError(badSegreteria.html, 'segreteria-persona')).not.toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('assigns a seat, clears a delegate and manages the segreteria by e-mail, then redirects back', async () => {
    const db = database.prisma;
    const cr = district.bodies.cr;
    const seat = await seatOf('coordinatore');
    const assigned = await form(`/organi/${cr}/seggi/${seat}/titolare`, {
      personId: 'respudp@example.org',
      validFrom: '2027-04-01',
    });
    expect(assigned.status).toBe(303);
    expect(assigned.location).toBe(`/organi/${cr}?esito=titolare#seggi`);
    expect(
      await db.membership.count({
        where: { seatId: seat, personId: district.people.respudp, validTo: null },
      }),
    ).toBe(1);

    const { id, delegatePersonId } = await membershipOf('rappresentante-2');
    expect(delegatePersonId).toBe(district.people.assessore2);
    expect((await form(`/organi/${cr}/incarichi/${id}/delegato`, { delegatePersonId: '' })).status).toBe(303);
    expect((await db.membership.findUniqueOrThrow({ where: { id } })).delegatePersonId).toBeNull();

    expect((await form(`/organi/${cr}/segreteria`, { personId: 'presidente@example.org' })).status).toBe(303);
    expect(await db.segreteria.count({ where: { bodyId: cr, personId: district.people.presidente } })).toBe(
      1,
    );
    const removed = await form(`/organi/${cr}/segreteria/${district.people.presidente}/togli`, {});
    expect(removed.status).toBe(303);
    expect(await db.segreteria.count({ where: { bodyId: cr } })).toBe(0);
  });
});
