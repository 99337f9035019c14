/**
 * The Ufficio di Piano's screens over a real seeded Postgres, as the coordinator signed in: each answers in
 * the layout with what it is for, and each form's bad input is refused with the message next to the field,
 * what was typed kept, and nothing changed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { DEFAULT_RULES, romeNow } from '../../domain/index';
import { seedCremasco } from '../../prisma/seed';
import { actAs, COORDINATORE } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let app: FastifyInstance;
let headers: Record<string, string>;
let crId: string;
let deliverableId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCremasco(database.prisma);
  app = await buildServer({ db: database.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }) });
  const db = database.prisma;
  headers = { accept: 'text/html', ...(await actAs(db, COORDINATORE)) };
  crId = (await db.body.findFirstOrThrow({ where: { kind: 'comitato_ristretto' } })).id;
  const ambito = await db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } });
  deliverableId = (
    await db.deliverable.create({
      data: {
        ambitoId: ambito.id,
        kind: 'piano_operativo',
        referenceYear: 2027,
        referencePeriod: '2027',
        stage: 'udp_draft',
        ownerRole: 'Responsabile UdP',
        // Due this year as the page reckons it (in Rome): on 1 January before 01:00, UTC is still last year.
        dueDate: new Date(`${(await romeNow()).year}-12-31T00:00:00Z`),
        escalationLevel: 2,
      },
    })
  ).id;
});
afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const get = (url: string) => app.inject({ url, headers });
const post = (url: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form))
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
};

describe('screens of the navigation', () => {
  it.each([
    ['/', 'Oggi', 'Convocazioni in partenza nei prossimi 10 giorni'],
    ['/organi', 'Organi', 'Comitato Ristretto'],
    ['/scadenze', 'Scadenze', 'Piano Operativo 2027'],
    ['/posta', 'Posta non consegnata', 'Nessuna e-mail in attesa'],
    ['/calendario', 'Calendario', 'Tutti gli organi'],
  ])('%s answers in the layout with its content', async (url, heading, content) => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<h1>${heading}`);
    expect(response.body).toContain(content);
    expect(response.body).toContain('aria-current="page"');
  });

  it('lists open deliverables with their escalation level on Oggi', async () => {
    const html = (await get('/')).body;
    expect(html).toContain(`<a href="/scadenze/${deliverableId}">Piano Operativo 2027</a>`);
    expect(html).toContain('sollecito di livello 2');
  });

  it('shows the year month by month, with each plan problem on the Assemblea it concerns', async () => {
    // The default rules plan the review before every approval: no problem in 2027.
    const clean = await get('/calendario?anno=2027');
    expect(clean.statusCode).toBe(200);
    expect(clean.body).toContain('<h2 class="h4 mt-4">dicembre 2027</h2>');
    expect(clean.body).not.toContain('problemi nel piano');
    // The former default (the second Tuesday) met after the December Assemblea was convened.
    const db = database.prisma;
    const { rules } = await db.body.findUniqueOrThrow({ where: { id: crId } });
    const defaults = rules as typeof DEFAULT_RULES.comitato_ristretto;
    const secondTuesday = { ...defaults, cadence: { ...defaults.cadence!, nth: 2 } };
    await db.body.update({ where: { id: crId }, data: { rules: secondTuesday } });
    const response = await get('/calendario?anno=2027').finally(() =>
      db.body.update({ where: { id: crId }, data: { rules: defaults } }),
    );
    expect(response.body).toContain('problemi nel piano');
    expect(response.body).toMatch(
      /Problema: la convocazione parte prima che Comitato Ristretto si riunisca \(martedì 14 dicembre 2027[^)]*\), e approva Piano Operativo 2028/,
    );
    expect(response.body).toContain('Scadenza:</strong> Piano Operativo 2028');
    const filtered = await get(`/calendario?anno=2027&organo=${crId}`);
    expect(filtered.body).not.toMatch(/<\/strong> – (<a[^>]*>)?Assemblea dei Sindaci/);
    expect(filtered.body).toMatch(/<\/strong> – (<a[^>]*>)?Comitato Ristretto/);
    expect(filtered.body).toMatch(/<option value="[^"]+" selected>Comitato Ristretto<\/option>/);
  });

  it('shows one month as a grid of weeks, Monday first, with the same entries as the list', async () => {
    const list = (await get('/calendario?anno=2027')).body;
    const march = list.slice(list.indexOf('marzo 2027</h2>'), list.indexOf('aprile 2027</h2>'));
    const listed = march.match(/<li class="mb-3">/g)?.length ?? 0;
    expect(listed).toBeGreaterThan(0);
    const response = await get('/calendario?anno=2027&vista=mese&m=3');
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain('<h1>Calendario – marzo 2027</h1>');
    expect(html).toContain('<caption>Sedute e scadenze di marzo 2027, settimana per settimana</caption>');
    // 1 March 2027 is a Monday and the 31st a Wednesday: five rows, the first opening on the 1st.
    const rows = html.split('<tbody>')[1]!.split('</tbody>')[0]!.match(/<tr>/g);
    expect(rows).toHaveLength(5);
    expect(html.split('<tbody>')[1]).toMatch(/^\s*<tr>\s*<td>\s*<span class="fw-semibold">1<\/span>/);
    expect(html.match(/<div class="small mt-1">/g)).toHaveLength(listed);
    expect(html).toContain('aprile 2027 →');
    const filtered = (await get(`/calendario?anno=2027&vista=mese&m=3&organo=${crId}`)).body;
    expect(filtered).not.toContain('Assemblea dei Sindaci</a>');
    expect(filtered).toContain(`name="organo"`);
    expect(filtered).toContain(`&amp;organo=${crId}">aprile 2027 →`);
  });

  it('refuses a signed-out visitor', async () => {
    const response = await app.inject({ url: '/organi', headers: { accept: 'text/html' } });
    expect(response.statusCode).not.toBe(200);
  });
});

describe('Organi: the rules form', () => {
  const valid = {
    'cadence.enabled': 'on',
    'cadence.months': ['1', '3', '5'],
    'cadence.nth': '2',
    'cadence.weekday': '3',
    'cadence.time': '17:30',
    'cadence.durationMinutes': '90',
    'cadence.onHoliday': 'next-week',
    'notice.ordinaryFreeDays': '5',
    'notice.urgentHours': '24',
    'minutes.required': 'on',
    'minutes.deadlineDays': '15',
    'quorum.numerator': '1',
    'quorum.denominator': '2',
    'quorum.strictlyMoreThan': 'on',
    'quorum.delegatesCount': 'on',
  };
  const MONTHS_ALL = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
  const rulesOf = async () => (await database.prisma.body.findUniqueOrThrow({ where: { id: crId } })).rules;

  it('warns, with the preview and on the page, of an Assemblea the typed rules convene before the review', async () => {
    const before = await rulesOf();
    expect((await get(`/organi/${crId}`)).body).not.toContain('il piano ha questi problemi');
    // The Comitato Ristretto every month on the third Wednesday: the day before the Assemblea, whose
    // convocation left a week earlier, in at least one of April, July and December of every year.
    const dayBefore = { ...valid, 'cadence.months': MONTHS_ALL, 'cadence.nth': '3', 'cadence.weekday': '3' };
    const response = await post(`/organi/${crId}/regole`, { ...dayBefore, azione: 'anteprima' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Con queste regole il piano avrebbe questi problemi');
    expect(response.body).toMatch(
      /<li>(Report annuale|Aggiornamento semestrale|Piano Operativo) \d{4} \(approvazione: Assemblea dei Sindaci, giovedì \d+ \w+ \d{4}\): la convocazione parte entro \S+ \d+ \w+ \d{4}, prima dell&#x27;esame in Comitato Ristretto di mercoledì \d+ \w+ \d{4}\.<\/li>/,
    );
    expect(await rulesOf()).toEqual(before);
    // The rules in force give none (checked above); the same warning stays on the page once saved.
    const saved = await post(`/organi/${crId}/regole`, { ...dayBefore, azione: 'salva' });
    expect(saved.statusCode).toBe(303);
    const page = (await get(`/organi/${crId}`)).body;
    expect(page).toContain('Con le regole in vigore il piano ha questi problemi');
    expect(page).toMatch(/prima dell&#x27;esame in Comitato Ristretto di mercoledì/);
    await database.prisma.body.update({ where: { id: crId }, data: { rules: before as object } });
  });

  it('previews the next sessions under the typed rules and saves nothing', async () => {
    const before = await rulesOf();
    const response = await post(`/organi/${crId}/regole`, { ...valid, azione: 'anteprima' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Anteprima, non ancora salvata');
    expect(response.body).toMatch(/mercoledì \d+ (gennaio|marzo|maggio) \d{4}, ore 17:30/);
    expect(await rulesOf()).toEqual(before);
  });

  it('refuses a bad value next to its field, keeps what was typed, and changes nothing', async () => {
    const before = await rulesOf();
    const response = await post(`/organi/${crId}/regole`, {
      ...valid,
      'notice.ordinaryFreeDays': '99',
      'cadence.time': '25:00',
      azione: 'salva',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(
      /id="regole-preavviso"[^>]*value="99"[^>]*aria-invalid="true" aria-describedby="regole-preavviso-errore/,
    );
    expect(response.body).toContain('id="regole-preavviso-errore"');
    expect(response.body).toContain(
      '<div class="invalid-feedback d-block" id="regole-ora-errore">atteso un orario HH:mm</div>',
    );
    expect(await rulesOf()).toEqual(before);
  });

  it('saves valid rules through the same operation as PATCH /api/v1/bodies/:id/rules, then redirects', async () => {
    const response = await post(`/organi/${crId}/regole`, { ...valid, azione: 'salva' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/organi/${crId}?esito=salvate`);
    expect(await rulesOf()).toMatchObject({
      cadence: { months: [1, 3, 5], nth: 2, weekday: 3, time: '17:30', durationMinutes: 90 },
      notice: { ordinaryFreeDays: 5, urgentHours: 24 },
    });
    const audit = await database.prisma.auditEvent.findFirst({
      where: { action: 'body.rules_changed', entityId: crId },
    });
    expect(audit).not.toBeNull();
  });
});

describe('Scadenze: the deliverable forms', () => {
  it('refuses an extension without a reason or with an earlier date, next to the fields, changing nothing', async () => {
    const audits = await database.prisma.auditEvent.count();
    const before = await database.prisma.deliverable.findUniqueOrThrow({ where: { id: deliverableId } });
    const response = await post(`/scadenze/${deliverableId}/proroga`, { dueAt: '2020-01-01', reason: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(
      /id="proroga-reason"[^>]*aria-invalid="true" aria-describedby="proroga-reason-errore"/,
    );
    expect(response.body).toContain('indicare il motivo (almeno 3 caratteri)');
    expect(response.body).toMatch(/id="proroga-dueAt"[^>]*value="2020-01-01"/);
    const earlier = await post(`/scadenze/${deliverableId}/proroga`, {
      dueAt: '2020-01-01',
      reason: 'Ritardo dei dati ATS',
    });
    expect(earlier.statusCode).toBe(400);
    expect(earlier.body).toContain('id="proroga-dueAt-errore">deve essere dopo il');
    expect(earlier.body).toContain('value="Ritardo dei dati ATS"');
    expect(await database.prisma.deliverable.findUniqueOrThrow({ where: { id: deliverableId } })).toEqual(
      before,
    );
    expect(await database.prisma.auditEvent.count()).toBe(audits);
  });

  it('refuses a waiver without a reason', async () => {
    const response = await post(`/scadenze/${deliverableId}/esonera`, { reason: ' ' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="esonera-reason-errore">indicare il motivo');
  });

  it('says when the workflows cannot be reached instead of pretending the change was made', async () => {
    const response = await post(`/scadenze/${deliverableId}/presenta`, { stage: 'udp_draft' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('class="text-danger"');
  });
});
