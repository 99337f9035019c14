/**
 * Preparing a meeting through the JSON door: the agenda builder before the convocation (edit, reorder,
 * remove), documents on items (type checked from the bytes, kept in Postgres, downloaded unchanged), the
 * preview of the convocation and its release, after which the agenda is frozen but for addenda. Real stack:
 * Postgres, the time-skipping Temporal server and the worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { multipartForm } from '../support/multipart';
import { useApiWorld } from './support';

const world = useApiWorld('api-agenda');
let headers: Record<string, string>;
let meetingId: string;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

async function call(method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload?: object) {
  const response = await world.app.inject({ method, url, payload, headers });
  return { status: response.statusCode, body: response.json() };
}

async function attach(itemId: string, filename: string, bytes: Buffer) {
  const { payload, contentType } = multipartForm([], { filename, content: bytes });
  const response = await world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/agenda/${itemId}/documents`,
    payload,
    headers: { ...headers, 'content-type': contentType },
  });
  return { status: response.statusCode, body: response.json() };
}

/** Everything a refused request could have touched. */
async function snapshot() {
  const db = world.stack.db.prisma;
  return {
    items: await db.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' } }),
    documents: await db.document.count(),
    audit: await db.auditEvent.count(),
  };
}

const agenda = async () =>
  (await call('GET', `/api/v1/meetings/${meetingId}`)).body.meeting.agenda as {
    id: string;
    position: number;
    title: string;
    documents: { id: string; name: string }[];
  }[];

beforeAll(async () => {
  headers = await actAs(world.stack.db.prisma, 'coordudp@example.org');
  const created = await call('POST', '/api/v1/meetings', {
    bodyId: world.district.bodies.cr,
    startsAt: '2027-03-16T18:00:00+01:00',
    endsAt: '2027-03-16T20:00:00+01:00',
    place: 'Sala Giunta, Comune di Crema',
    agenda: [{ title: 'Comunicazioni' }, { title: 'Piano Operativo 2028' }, { title: 'Varie ed eventuali' }],
  });
  expect(created.status).toBe(201);
  meetingId = created.body.meeting.id;
});

describe('the agenda before the convocation', () => {
  it('edits, reorders and removes items, each audited; bad input names the field and changes nothing', async () => {
    const [first, second, third] = await agenda();
    const before = await snapshot();
    const empty = await call('PUT', `/api/v1/meetings/${meetingId}/agenda/${second!.id}`, { title: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.fields).toEqual([{ field: 'title', message: 'il titolo è obbligatorio' }]);
    const incomplete = await call('PUT', `/api/v1/meetings/${meetingId}/agenda/order`, {
      itemIds: [first!.id, second!.id],
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.fields[0].field).toBe('itemIds');
    expect(await snapshot()).toEqual(before);

    const edited = await call('PUT', `/api/v1/meetings/${meetingId}/agenda/${second!.id}`, {
      title: 'Piano Operativo 2028: linee di indirizzo',
      description: 'Relaziona la coordinatrice',
    });
    expect(edited.status).toBe(200);
    expect(
      (
        await call('PUT', `/api/v1/meetings/${meetingId}/agenda/order`, {
          itemIds: [second!.id, first!.id, third!.id],
        })
      ).status,
    ).toBe(200);
    expect((await call('DELETE', `/api/v1/meetings/${meetingId}/agenda/${first!.id}`)).status).toBe(200);
    expect((await agenda()).map((a) => [a.position, a.title])).toEqual([
      [1, 'Piano Operativo 2028: linee di indirizzo'],
      [2, 'Varie ed eventuali'],
    ]);
    const audit = await world.stack.db.prisma.auditEvent.findMany({
      where: { entityId: meetingId, action: { startsWith: 'meeting.agenda_' } },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'meeting.agenda_item_edited',
      'meeting.agenda_reordered',
      'meeting.agenda_item_removed',
    ]);
  });

  it('keeps a PDF on an item in Postgres and gives it back unchanged; refuses what is not PDF, ODT or DOCX', async () => {
    const [item] = await agenda();
    const before = await snapshot();
    const png = await attach(item!.id, 'foto.pdf', PNG);
    expect(png.status).toBe(415);
    expect(png.body.fields).toEqual([{ field: 'file', message: 'ammessi solo PDF, ODT e DOCX' }]);
    expect(await snapshot()).toEqual(before);

    const stored = await attach(item!.id, 'Relazione PO 2028.pdf', PDF);
    expect(stored.status).toBe(201);
    expect(stored.body.document).toMatchObject({
      name: 'Relazione PO 2028.pdf',
      mimeType: 'application/pdf',
    });
    const download = await world.app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meetingId}/documents/${stored.body.document.id}`,
      headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect((await agenda())[0]!.documents.map((d) => d.name)).toEqual(['Relazione PO 2028.pdf']);

    // A name is kept to 200 characters, cut before a character outside the BMP rather than through it.
    const long = await attach(item!.id, `${'Relazione '.repeat(20).slice(0, 199)}📎 allegato.pdf`, PDF);
    expect(long.status).toBe(201);
    expect(long.body.document.name).toBe('Relazione '.repeat(20).slice(0, 199));
  });
});

describe('the convocation', () => {
  it('previews the exact message, then releases it before the deadline; the agenda is then frozen', async () => {
    const preview = await call('GET', `/api/v1/meetings/${meetingId}/convocation/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.recipients).toBe(3);
    expect(preview.body.subject).toMatch(/^Convocazione Comitato Ristretto/);
    expect(preview.body.text).toContain('Piano Operativo 2028: linee di indirizzo');
    expect(preview.body.text).toContain('Relazione PO 2028.pdf');

    expect((await call('POST', `/api/v1/meetings/${meetingId}/convocation/release`)).status).toBe(202);
    const db = world.stack.db.prisma;
    // The workflow marks the meeting convened once every convocation is out (bounded polling).
    for (let i = 0; i < 100; i++) {
      if ((await db.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status === 'convened') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sent = await db.outboxMessage.findMany({
      where: { kind: 'convocation', idempotencyKey: { contains: meetingId } },
    });
    expect(sent).toHaveLength(3);
    const sameRecipient = sent.find((m) => m.recipientEmail === preview.body.recipient.email)!;
    expect(sameRecipient.subject).toBe(preview.body.subject);
    // The same text but for the personal answer links.
    const withoutLinks = (t: string) => t.replace(/https?:\/\/\S*risposta\S*/g, '<link>');
    expect(withoutLinks(sameRecipient.textBody)).toBe(withoutLinks(preview.body.text));
    expect((await db.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status).toBe('convened');

    const [item] = await agenda();
    const before = await snapshot();
    const late = await call('PUT', `/api/v1/meetings/${meetingId}/agenda/${item!.id}`, { title: 'Altro' });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/convocazione è già partita/);
    expect((await call('POST', `/api/v1/meetings/${meetingId}/convocation/release`)).status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });
});
