/**
 * A verbale not yet approved is for those who prepare it and for oversight, not for every member: its file
 * is refused to a member at /minutes/file, and was handed out by the documents' download (JSON door only; the
 * page's twin serves agenda documents alone) to anyone reading the meeting, by the id its JSON shows. Found
 * twice, by two audits: tests/api/verbale-readers.test.ts covers the answer link's token as well.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { multipartForm } from '../support/multipart';
import { useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let member: Record<string, string>;
let meetingId: string;

beforeAll(async () => {
  const db = world.db;
  coordinator = await actAs(db, 'coordinatore-udp@example.org');
  const mayor = await world.personId('sindaco.pandino@example.org');
  member = await actAs(db, 'sindaco.pandino@example.org');
  const seat = await db.membership.findFirstOrThrow({
    where: { personId: mayor, validTo: null, seat: { body: { ambito: { code: 'cremasco' } } } },
    include: { seat: true },
  });
  const meeting = await db.meeting.create({
    data: {
      bodyId: seat.seat.bodyId,
      plannedDateKey: '2026-10-06',
      startsAt: new Date('2026-10-06T16:00:00Z'),
      endsAt: new Date('2026-10-06T18:00:00Z'),
      place: 'Crema',
      status: 'held',
    },
  });
  meetingId = meeting.id;
  const { payload, contentType } = multipartForm([], {
    filename: 'verbale.pdf',
    content: Buffer.from('%PDF-1.4\nbozza riservata\n%%EOF\n'),
  });
  const uploaded = await world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/minutes`,
    headers: { accept: 'application/json', 'content-type': contentType, ...coordinator },
    payload,
  });
  expect(uploaded.statusCode).toBe(202);
});

const get = (url: string, headers: Record<string, string>) =>
  world.app.inject({ method: 'GET', url, headers: { accept: 'application/json', ...headers } });

describe('a draft verbale', () => {
  it('is not handed to a member through the documents route', async () => {
    expect((await get(`/api/v1/meetings/${meetingId}/minutes/file`, member)).statusCode).toBe(403);
    const view = (await get(`/api/v1/meetings/${meetingId}`, member)).json();
    const documentId = view.meeting.verbale.document.id as string;
    const url = `/api/v1/meetings/${meetingId}/documents/${documentId}`;
    // Outside the agenda, the documents route serves a file only to those who may read a draft verbale.
    expect((await get(url, member)).statusCode).toBe(404);
    expect((await get(url, coordinator)).statusCode).toBe(200);
    const file = await get(`/api/v1/meetings/${meetingId}/minutes/file`, coordinator);
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('bozza riservata');
  });
});
