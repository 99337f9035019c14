/**
 * A verbale not yet approved is for those who prepare it and for oversight, not for every member (README,
 * roles): neither its own route nor the meeting's document route hands it to a mayor or to an e-mail
 * link's token, while agenda documents stay open to both. Real Postgres; no Temporal, as when the API runs
 * alone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { issueAnswerLinks } from '../../notifications/answers/answers';
import { actAs } from '../support/auth';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { multipartForm } from '../support/multipart';
import { createDistrict, createMeeting, type District } from '../workflows/fixture';
import { COORDINATORE_FIXTURE } from './support';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let db: TestDatabase;
let app: FastifyInstance;
let district: District;

beforeAll(async () => {
  db = await createTestDatabase();
  district = await createDistrict(db.prisma);
  app = await buildServer({
    db: db.prisma,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    now: () => Date.parse('2027-01-20T10:00:00Z'),
  });
});
afterAll(async () => {
  await app?.close();
  await db?.cleanup();
});

it('a draft verbale reaches neither a member nor a token through the document route', async () => {
  const meeting = await createMeeting(db.prisma, district.bodies.cr, '2027-01-12', ['Bilancio']);
  const item = await db.prisma.agendaItem.findFirstOrThrow({ where: { meetingId: meeting.id } });
  const coordinator = await actAs(db.prisma, COORDINATORE_FIXTURE);
  const upload = async (url: string, filename: string) => {
    const form = multipartForm([], { filename, contentType: 'application/pdf', content: PDF });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: form.payload,
      headers: { ...coordinator, 'content-type': form.contentType },
    });
    expect(response.statusCode).toBeLessThan(300);
    return response.json<{ document: { id: string } }>().document.id;
  };
  const agendaDoc = await upload(
    `/api/v1/meetings/${meeting.id}/agenda/${item.id}/documents`,
    'bilancio.pdf',
  );
  // Held, then the segreteria uploads the verbale: a draft until approved.
  await db.prisma.meeting.update({ where: { id: meeting.id }, data: { status: 'held' } });
  const verbale = await upload(`/api/v1/meetings/${meeting.id}/minutes`, 'bozza-verbale.pdf');
  const links = await issueAnswerLinks(db.prisma, 'verbale-secret-verbale-secret-verbale-12', {
    meetingId: meeting.id,
    personId: district.people.sindaco1!,
    expiresAt: meeting.endsAt.toISOString(),
    baseUrl: 'http://localhost:3000',
  });
  const t = new URL(links.present).pathname.split('/').pop()!;

  const mayor = await actAs(db.prisma, 'sindaco1@example.org');
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ url, headers }).then((r) => r.statusCode);
  const documentUrl = (id: string) => `/api/v1/meetings/${meeting.id}/documents/${id}`;
  // The verbale's own route already keeps the draft from the mayor.
  expect(await get(`/api/v1/meetings/${meeting.id}/minutes/file`, mayor)).toBe(403);
  expect(await get(`/api/v1/meetings/${meeting.id}/minutes/file`, coordinator)).toBe(200);
  // The document route: agenda documents for all readers, the draft only for those who prepare it.
  expect(await get(documentUrl(agendaDoc), mayor)).toBe(200);
  expect(await get(`${documentUrl(agendaDoc)}?t=${t}`)).toBe(200);
  expect(await get(documentUrl(verbale), coordinator)).toBe(200);
  expect(await get(documentUrl(verbale), mayor)).toBe(404);
  expect(await get(`${documentUrl(verbale)}?t=${t}`)).toBe(404);
});

it('from the e-mail link, the approved verbale downloads without signing in', async () => {
  const meeting = await createMeeting(db.prisma, district.bodies.cr, '2027-01-13');
  await db.prisma.meeting.update({ where: { id: meeting.id }, data: { status: 'held' } });
  const coordinator = await actAs(db.prisma, COORDINATORE_FIXTURE);
  const form = multipartForm([], { filename: 'verbale.pdf', contentType: 'application/pdf', content: PDF });
  const uploaded = await app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meeting.id}/minutes`,
    payload: form.payload,
    headers: { ...coordinator, 'content-type': form.contentType },
  });
  expect(uploaded.statusCode).toBe(202);
  const approved = await app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meeting.id}/minutes/approve`,
    headers: coordinator,
  });
  expect(approved.statusCode).toBe(202);
  const links = await issueAnswerLinks(db.prisma, 'verbale-secret-verbale-secret-verbale-12', {
    meetingId: meeting.id,
    personId: district.people.sindaco1!,
    expiresAt: meeting.endsAt.toISOString(),
    baseUrl: 'http://localhost:3000',
  });
  const t = new URL(links.present).pathname.split('/').pop()!;

  // The circulation e-mail's link (activities/meetings.ts, circulateMinutes), opened without signing in.
  const page = await app.inject({ url: `/riunioni/${meeting.id}/verbale?t=${t}` });
  expect(page.statusCode).toBe(200);
  const href = /href="([^"]*minutes\/file[^"]*)"/.exec(page.body)?.[1]?.replaceAll('&amp;', '&');
  expect(href).toBeDefined();
  const file = await app.inject({ url: href! });
  expect(file.statusCode).toBe(200);
  expect(file.rawPayload.equals(PDF)).toBe(true);
  // The page and the meeting's page link to each other keeping the token, so neither asks to sign in.
  const back = /href="([^"]*)">torna alla seduta/.exec(page.body)?.[1]?.replaceAll('&amp;', '&');
  expect((await app.inject({ url: back! })).statusCode).toBe(200);
});
