/**
 * The meeting routes on the real stack: Postgres, the offline Temporal server with time skipping and the
 * real worker. Each change must reach the meeting workflow (checked through its query and what its
 * activities store), and every rejected request must leave rows and audit untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { detectMinutesFormat } from '../../api/meetings/filetype';
import { queryMeeting } from '../../workflows/client';
import type { MeetingState } from '../../workflows/meeting';
import { multipartForm } from '../support/multipart';
import { useApiWorld } from './support';

const world = useApiWorld('api-meetings');

async function post(url: string, payload?: object, server = world.app) {
  const response = await server.inject({ method: 'POST', url, payload, headers: world.coordinator });
  return { status: response.statusCode, body: response.json() };
}

/** Everything a rejected request could have touched. */
async function snapshot() {
  const db = world.stack.db.prisma;
  const [meetings, agenda, audit, documents, verbali, attendance] = await Promise.all([
    db.meeting.findMany({ orderBy: { id: 'asc' } }),
    db.agendaItem.count(),
    db.auditEvent.count(),
    db.document.count(),
    db.verbale.findMany(),
    db.attendance.count(),
  ]);
  return { meetings, agenda, audit, documents, verbali, attendance };
}

/** Polls until `check` passes: the workflow applies changes asynchronously (bounded, 100 tries). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (check(value) || i >= 100) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const stateOf = (id: string) => queryMeeting(world.stack.gc, id).catch(() => null as MeetingState | null);

function multipart(filename: string, contentType: string, bytes: Buffer) {
  const form = multipartForm([], { filename, contentType, content: bytes });
  return { payload: form.payload, headers: { ...world.coordinator, 'content-type': form.contentType } };
}

async function upload(id: string, filename: string, contentType: string, bytes: Buffer) {
  const { payload, headers } = multipart(filename, contentType, bytes);
  const response = await world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${id}/minutes`,
    payload,
    headers,
  });
  return { status: response.statusCode, body: response.json() };
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A ZIP local file header for one stored entry, enough for format detection. */
function zipEntry(name: string, content: string): Buffer {
  const header = Buffer.alloc(30);
  header.write('PK\x03\x04', 0, 'latin1');
  header.writeUInt32LE(content.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name, 'latin1'), Buffer.from(content, 'latin1')]);
}

// Tuesday 9 March 2027, 18:00-20:00 in Crema.
const MARCH = { startsAt: '2027-03-09T18:00:00+01:00', endsAt: '2027-03-09T20:00:00+01:00' };
let meetingId: string;

describe('POST /api/v1/meetings', () => {
  it('stores the meeting with its agenda, audits who created it and starts its workflow', async () => {
    const { status, body } = await post('/api/v1/meetings', {
      bodyId: world.district.bodies.cr,
      ...MARCH,
      place: 'Sala Giunta, Comune di Crema',
      agenda: [{ title: 'Piano Operativo 2028: linee di indirizzo' }, { title: 'Varie ed eventuali' }],
    });
    expect(status).toBe(201);
    expect(body.processo).toEqual({ stato: 'notificato' });
    meetingId = body.meeting.id;
    expect(body.meeting).toMatchObject({
      plannedDate: '2027-03-09',
      status: 'planned',
      startsAt: MARCH.startsAt,
      urgent: false,
      agenda: [
        { position: 1, title: 'Piano Operativo 2028: linee di indirizzo', isAddendum: false },
        { position: 2, title: 'Varie ed eventuali', isAddendum: false },
      ],
    });
    const audit = await world.stack.db.prisma.auditEvent.findMany({ where: { entityId: meetingId } });
    expect(audit.map((a) => [a.actor, a.action])).toEqual([[world.coordinatorActor, 'meeting.created']]);
    const state = await eventually(
      () => stateOf(meetingId),
      (s) => s?.plan !== null && s?.plan !== undefined,
    );
    expect(state?.phase).toBe('awaiting-convocation');
    expect(state?.plan?.startsAt).toBe(MARCH.startsAt);

    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meetingId}`,
      headers: world.coordinator,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().processo.phase).toBe('awaiting-convocation');
  });

  it('rejects a second meeting of the body on the same day and bad input, changing nothing', async () => {
    const before = await snapshot();
    const valid = { bodyId: world.district.bodies.cr, ...MARCH, place: 'Crema' };
    const cases: [object, number, string][] = [
      [
        { ...valid, startsAt: '2027-03-09T09:00:00+01:00', endsAt: '2027-03-09T10:00:00+01:00' },
        409,
        'startsAt',
      ],
      [{ ...valid, endsAt: '2027-03-09T17:00:00+01:00' }, 400, 'endsAt'],
      [{ ...valid, startsAt: '2027-04-13T18:00:00', endsAt: '2027-04-13T20:00:00+02:00' }, 400, 'startsAt'],
      [
        {
          bodyId: world.district.bodies.cr,
          startsAt: '2027-04-13T18:00:00+02:00',
          endsAt: '2027-04-13T20:00:00+02:00',
        },
        400,
        'place',
      ],
      [
        { ...valid, startsAt: '2020-04-14T18:00:00+02:00', endsAt: '2020-04-14T20:00:00+02:00' },
        400,
        'startsAt',
      ],
      [
        {
          ...valid,
          bodyId: '00000000-0000-4000-8000-000000000000',
          startsAt: '2027-04-13T18:00:00+02:00',
          endsAt: '2027-04-13T20:00:00+02:00',
        },
        404,
        'bodyId',
      ],
      [{ ...valid, colour: 'red' }, 400, 'colour'],
    ];
    for (const [payload, status, field] of cases) {
      const response = await post('/api/v1/meetings', payload);
      expect(response.status, JSON.stringify(payload)).toBe(status);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(response.body.message).toEqual(expect.any(String));
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('changes forwarded to the workflow', () => {
  it('an agenda addendum and a reschedule are audited and applied by the workflow', async () => {
    const db = world.stack.db.prisma;
    expect(
      (await post(`/api/v1/meetings/${meetingId}/agenda`, { items: [{ title: 'Report annuale 2026' }] }))
        .status,
    ).toBe(202);
    const moved = {
      startsAt: '2027-03-10T17:00:00+01:00',
      endsAt: '2027-03-10T19:00:00+01:00',
      reason: 'Sala occupata',
    };
    expect((await post(`/api/v1/meetings/${meetingId}/reschedule`, moved)).status).toBe(202);

    const row = await eventually(
      () => db.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: { agendaItems: true } }),
      (m) => m.revision === 1 && m.agendaItems.length === 3,
    );
    expect(row.revision).toBe(1);
    expect(row.startsAt.toISOString()).toBe('2027-03-10T16:00:00.000Z');
    expect(row.plannedDateKey).toBe('2027-03-09'); // the occurrence keeps its key
    expect(row.agendaItems.map((a) => a.title).sort()).toContain('Report annuale 2026');
    expect((await stateOf(meetingId))?.plan?.startsAt).toBe(moved.startsAt);
    const requested = await db.auditEvent.findMany({
      where: { entityId: meetingId, actor: world.coordinatorActor },
      orderBy: { at: 'asc' },
    });
    expect(requested.map((a) => a.action)).toEqual([
      'meeting.created',
      'meeting.agenda_addendum_requested',
      'meeting.reschedule_requested',
    ]);
  });

  it('rejects bad changes without auditing or signalling anything', async () => {
    const before = await snapshot();
    const bad: [string, object, number][] = [
      ['reschedule', { startsAt: '2027-03-10T17:00:00+01:00', endsAt: '2027-03-10T16:00:00+01:00' }, 400],
      ['reschedule', { startsAt: '2020-03-10T17:00:00+01:00', endsAt: '2020-03-10T19:00:00+01:00' }, 400],
      ['cancel', { reason: '' }, 400],
      ['agenda', { items: [] }, 400],
      ['attendance', { entries: [{ personId: world.district.people.coordcr, status: 'present' }] }, 409], // not started
    ];
    for (const [action, payload, status] of bad) {
      const response = await post(`/api/v1/meetings/${meetingId}/${action}`, payload);
      expect(response.status, action).toBe(status);
    }
    const unknown = await post('/api/v1/meetings/00000000-0000-4000-8000-000000000000/cancel', {
      reason: 'prova',
    });
    expect(unknown.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('without Temporal: a new meeting is kept for the reconciler (202), a change is refused (503)', async () => {
    const db = world.stack.db.prisma;
    const created = await post(
      '/api/v1/meetings',
      {
        bodyId: world.district.bodies.cr,
        startsAt: '2027-05-11T18:00:00+02:00',
        endsAt: '2027-05-11T20:00:00+02:00',
        onlineUrl: 'https://meet.example.org/cr',
      },
      world.alone,
    );
    expect(created.status).toBe(202);
    expect(created.body.processo.stato).toBe('in_attesa');
    expect(created.body.processo.nota).toMatch(/riconciliatore/);
    expect(await db.meeting.count({ where: { id: created.body.meeting.id } })).toBe(1);

    const before = await snapshot();
    const refused = await post(
      `/api/v1/meetings/${created.body.meeting.id}/cancel`,
      { reason: 'Sindaci assenti' },
      world.alone,
    );
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/nessuna modifica/);
    expect(await snapshot()).toEqual(before);
  });

  it('a cancellation reaches a workflow Temporal has lost: signal-with-start restarts it', async () => {
    const db = world.stack.db.prisma;
    const [lost] = await db.meeting.findMany({ where: { startsAt: new Date('2027-05-11T16:00:00Z') } });
    const response = await post(`/api/v1/meetings/${lost!.id}/cancel`, { reason: 'Sindaci assenti' });
    expect(response.status).toBe(202);
    const row = await eventually(
      () => db.meeting.findUniqueOrThrow({ where: { id: lost!.id } }),
      (m) => m.status === 'cancelled',
    );
    expect(row.cancellationReason).toBe('Sindaci assenti');
    expect((await stateOf(lost!.id))?.phase).toBe('cancelled');
    expect((await post(`/api/v1/meetings/${lost!.id}/reschedule`, MARCH)).status).toBe(409);
  });
});

describe('after the session: attendance and the verbale', () => {
  beforeAll(async () => {
    await world.stack.skipPast('2027-03-10T19:00:00+01:00');
    await eventually(
      () => stateOf(meetingId),
      (s) => s?.phase === 'awaiting-minutes',
    );
  });

  it('records attendance through the workflow, which computes the quorum', async () => {
    const before = await snapshot();
    const stranger = await post(`/api/v1/meetings/${meetingId}/attendance`, {
      entries: [{ personId: world.district.people.respudp, status: 'present' }],
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.fields).toEqual([{ field: 'entries.0.personId', message: expect.any(String) }]);
    const noDelegate = await post(`/api/v1/meetings/${meetingId}/attendance`, {
      entries: [{ personId: world.district.people.assessore2, status: 'delegate' }],
    });
    expect(noDelegate.status).toBe(400);
    expect(await snapshot()).toEqual(before);

    const lateArrival = await post(`/api/v1/meetings/${meetingId}/attendance`, {
      entries: [
        {
          personId: world.district.people.sindaco1,
          status: 'absent',
          arrivedAt: '2027-03-10T18:20:00+01:00',
        },
      ],
    });
    expect(lateArrival.status).toBe(400);
    expect(lateArrival.body.fields).toEqual([{ field: 'entries.0.arrivedAt', message: expect.any(String) }]);
    expect(await snapshot()).toEqual(before);

    const { status } = await post(`/api/v1/meetings/${meetingId}/attendance`, {
      entries: [
        {
          personId: world.district.people.coordcr,
          status: 'present',
          arrivedAt: '2027-03-10T18:20:00+01:00',
        },
        { personId: world.district.people.sindaco1, status: 'absent_justified' },
        {
          personId: world.district.people.assessore2,
          status: 'delegate',
          delegateName: 'Assessore Delegato 2',
        },
      ],
    });
    expect(status).toBe(202);
    const state = await eventually(
      () => stateOf(meetingId),
      (s) => s?.quorum !== null && s?.quorum !== undefined,
    );
    expect(state?.quorum).toEqual({ present: 2, seats: 3, reached: true });
    const rows = await world.stack.db.prisma.attendance.findMany({ where: { meetingId } });
    const byPerson = new Map(rows.map((r) => [r.personId, r]));
    const p = world.district.people;
    expect(rows).toHaveLength(3);
    expect(byPerson.get(p.coordcr!)).toMatchObject({
      status: 'present',
      countsForQuorum: true,
      arrivedAt: new Date('2027-03-10T17:20:00Z'),
    });
    expect(byPerson.get(p.sindaco1!)).toMatchObject({ status: 'absent_justified', countsForQuorum: false });
    expect(byPerson.get(p.assessore2!)).toMatchObject({
      status: 'delegate',
      delegateName: 'Assessore Delegato 2',
      countsForQuorum: true,
    });
  });

  it('extends the verbale deadline through the workflow; a date not after the current one is refused', async () => {
    const db = world.stack.db.prisma;
    const current = (await db.verbale.findUniqueOrThrow({ where: { meetingId } })).dueDate;
    const day = (d: Date, plus = 0) => new Date(d.getTime() + plus * 86_400_000).toISOString().slice(0, 10);
    const url = `/api/v1/meetings/${meetingId}/minutes/extend`;
    const before = await snapshot();
    const same = await post(url, { dueDate: day(current), reason: 'ferie del segretario' });
    expect(same.status).toBe(400);
    expect(same.body.fields).toEqual([{ field: 'dueDate', message: `deve essere dopo il ${day(current)}` }]);
    const noReason = await post(url, { dueDate: day(current, 10) });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields).toEqual([{ field: 'reason', message: expect.any(String) }]);
    expect(await snapshot()).toEqual(before);

    const { status } = await post(url, { dueDate: day(current, 10), reason: 'ferie del segretario' });
    expect(status).toBe(202);
    const moved = await eventually(
      () => db.verbale.findUniqueOrThrow({ where: { meetingId } }),
      (v) => day(v.dueDate) === day(current, 10),
    );
    expect(day(moved.dueDate)).toBe(day(current, 10));
    const actions = await db.auditEvent.findMany({ where: { entityId: meetingId } });
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: world.coordinatorActor,
          action: 'meeting.minutes_extension_requested',
        }),
        expect.objectContaining({
          actor: world.coordinatorActor,
          action: 'meeting.minutes_deadline_extended',
        }),
      ]),
    );
  });

  it('refuses a verbale that is not PDF, ODT or DOCX, or larger than 10 MB, changing nothing', async () => {
    const before = await snapshot();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const fake = await upload(meetingId, 'verbale.pdf', 'application/pdf', png);
    expect(fake.status).toBe(415);
    expect(fake.body.message).toMatch(/PDF, ODT .* DOCX/);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length)]);
    const tooBig = await upload(meetingId, 'verbale.pdf', 'application/pdf', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toMatch(/10 MB/);
    const empty = await upload(meetingId, 'verbale.pdf', 'application/pdf', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const approveFirst = await post(`/api/v1/meetings/${meetingId}/minutes/approve`);
    expect(approveFirst.status).toBe(409);
    const noFile = await world.app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meetingId}/minutes/file`,
      headers: world.coordinator,
    });
    expect(noFile.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('stores the verbale in Postgres, approves it, and the workflow circulates it', async () => {
    const db = world.stack.db.prisma;
    // Exactly 10 MB is allowed (one byte more is refused above); the client's content type is ignored.
    const limit = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 - PDF.length)]);
    const uploaded = await upload(meetingId, 'Verbale CR 10 marzo.pdf', 'application/octet-stream', limit);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.document).toMatchObject({
      name: 'Verbale CR 10 marzo.pdf',
      mimeType: 'application/pdf',
      sizeBytes: limit.length,
    });
    expect(
      await eventually(
        () => stateOf(meetingId),
        (s) => s?.phase === 'awaiting-minutes-approval',
      ),
    ).toMatchObject({ phase: 'awaiting-minutes-approval' });

    const file = await world.app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meetingId}/minutes/file`,
      headers: world.coordinator,
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain('attachment;');
    expect(file.rawPayload.equals(limit)).toBe(true);

    const approved = await post(`/api/v1/meetings/${meetingId}/minutes/approve`);
    expect(approved.status).toBe(200);
    const verbale = await eventually(
      () => db.verbale.findUniqueOrThrow({ where: { meetingId } }),
      (v) => v.circulatedAt !== null,
    );
    expect(verbale.status).toBe('approved');
    expect(verbale.circulatedAt).not.toBeNull();
    expect(
      await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: `minutes:${meetingId}:` } } }),
    ).toBeGreaterThan(0);
    expect((await post(`/api/v1/meetings/${meetingId}/minutes/approve`)).status).toBe(409);

    const view = (
      await world.app.inject({
        method: 'GET',
        url: `/api/v1/meetings/${meetingId}`,
        headers: world.coordinator,
      })
    ).json();
    expect(view.meeting.verbale).toMatchObject({
      status: 'approved',
      document: { sha256: uploaded.body.document.sha256 },
    });
    expect(view.meeting.attendance).toHaveLength(3);
    const actions = await db.auditEvent.findMany({
      where: { entityId: meetingId, actor: world.coordinatorActor },
    });
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'meeting.attendance_recorded',
        'meeting.minutes_submitted',
        'meeting.minutes_approved',
      ]),
    );
  });
});

describe('verbale format detection', () => {
  it.each([
    ['PDF', PDF, 'pdf'],
    ['ODT', zipEntry('mimetype', 'application/vnd.oasis.opendocument.text'), 'odt'],
    ['ODS is not a verbale', zipEntry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'), null],
    [
      'DOCX',
      Buffer.concat([zipEntry('[Content_Types].xml', '<Types/>'), zipEntry('word/document.xml', '<w/>')]),
      'docx',
    ],
    [
      'XLSX is not a verbale',
      Buffer.concat([zipEntry('[Content_Types].xml', '<Types/>'), zipEntry('xl/workbook.xml', '<x/>')]),
      null,
    ],
    ['plain text', Buffer.from('Verbale della seduta'), null],
  ])('%s', (_, bytes, expected) => {
    expect(detectMinutesFormat(bytes)).toBe(expected);
  });
});
