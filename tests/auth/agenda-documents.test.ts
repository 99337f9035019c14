/**
 * Documents of agenda items when their item goes: removing a point before the convocation takes its documents
 * with it (audited), rather than leaving them on the meeting outside the agenda, where only verbale files
 * live and nobody could remove them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { multipartForm } from '../support/multipart';
import { useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  const ambitoId = (await world.db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } })).id;
  cr = (await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto', ambitoId } })).id;
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
});

async function plannedMeeting(day: string) {
  const meeting = await world.db.meeting.create({
    data: {
      bodyId: cr,
      plannedDateKey: day,
      startsAt: new Date(`${day}T16:00:00Z`),
      endsAt: new Date(`${day}T18:00:00Z`),
      place: 'Crema',
      agendaItems: {
        create: ['Primo', 'Secondo'].map((title, i) => ({ position: i + 1, title })),
      },
    },
    include: { agendaItems: { orderBy: { position: 'asc' } } },
  });
  return { id: meeting.id, items: meeting.agendaItems.map((i) => i.id) };
}

const attach = (meetingId: string, itemId: string, filename: string) => {
  const { payload, contentType } = multipartForm([], { filename, content: PDF });
  return world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/agenda/${itemId}/documents`,
    headers: { accept: 'application/json', 'content-type': contentType, ...coordinator },
    payload,
  });
};

const removeItem = (meetingId: string, itemId: string) =>
  world.app.inject({
    method: 'DELETE',
    url: `/api/v1/meetings/${meetingId}/agenda/${itemId}`,
    headers: { accept: 'application/json', ...coordinator },
  });

describe('documents of a removed agenda item', () => {
  it('go with the item, each removal audited; the other items keep theirs', async () => {
    const { id, items } = await plannedMeeting('2037-07-07');
    expect((await attach(id, items[0]!, 'Relazione.pdf')).statusCode).toBe(201);
    expect((await attach(id, items[0]!, 'Allegato tecnico.pdf')).statusCode).toBe(201);
    expect((await attach(id, items[1]!, 'Bilancio.pdf')).statusCode).toBe(201);

    expect((await removeItem(id, items[0]!)).statusCode).toBe(200);
    const left = await world.db.document.findMany({ where: { meetingId: id } });
    expect(left.map((d) => [d.name, d.agendaItemId])).toEqual([['Bilancio.pdf', items[1]]]);
    const audit = await world.db.auditEvent.findMany({
      where: { entityId: id, action: 'meeting.document_removed' },
    });
    expect(audit.map((a) => (a.data as { name: string }).name).sort()).toEqual([
      'Allegato tecnico.pdf',
      'Relazione.pdf',
    ]);
  });
});
