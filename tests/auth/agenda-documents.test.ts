/**
 * Documents of agenda items when their item goes: removing a point before the convocation takes its documents
 * with it (audited), rather than leaving them on the meeting outside the agenda, where only verbale files
 * live and nobody could remove them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartForm } from '../support/multipart';
import { coordinatorOfComitato, sessionOn, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => void ({ cr, coordinator } = await coordinatorOfComitato(world)));

const plannedMeeting = (day: string) => sessionOn(world.db, cr, day, { agenda: ['Primo', 'Secondo'] });

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

/** Requests of this database waiting for a row lock, polled until there are `n` (bounded). */
async function waitingForLocks(n: number) {
  for (let i = 0; i < 200; i++) {
    const [{ waiting }] = await world.db.$queryRaw<[{ waiting: number }]>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (waiting >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`attese ${n} richieste in coda su un lock`);
}

describe('a document uploaded to an item while the item is removed', () => {
  it('the removal wins and the upload gets a 404, not an internal error; nothing is left behind', async () => {
    const { id, items } = await plannedMeeting('2037-07-14');
    // The item's row is held by the test, so both requests really overlap: the removal stops on the row
    // after the upload has found the item, and the upload then waits behind the removal.
    let requests: Promise<Awaited<ReturnType<typeof attach>>>[] = [];
    await world.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 AS held FROM "AgendaItem" WHERE "id" = ${items[0]}::uuid FOR UPDATE`;
        const removal = removeItem(id, items[0]!);
        await waitingForLocks(1);
        const upload = attach(id, items[0]!, 'Relazione.pdf');
        await waitingForLocks(2);
        requests = [removal, upload];
      },
      { timeout: 20_000 },
    );
    const answers = await Promise.all(requests);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 404]);
    expect(answers[1]!.json().error).toBe('punto_sconosciuto');
    expect(await world.db.document.count({ where: { meetingId: id } })).toBe(0);
  });
});
