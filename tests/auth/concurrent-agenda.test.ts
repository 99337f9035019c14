/**
 * The agenda before the convocation, from two hands at once: a point removed twice (a double click on
 * «Togli»), or removed while the agenda is reordered. Each request gets an answer a person can act on
 * (done, or 404/400 naming what changed meanwhile), never an internal error, and the agenda stays numbered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { coordinatorOfComitato, sessionOn, warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

beforeAll(async () => void ({ cr, coordinator } = await coordinatorOfComitato(world)));

const plannedMeeting = (day: string) =>
  sessionOn(world.db, cr, day, { agenda: ['Primo', 'Secondo', 'Terzo'] });

const call = (method: 'DELETE' | 'PUT', url: string, payload?: object) =>
  world.app.inject({
    method,
    url,
    headers: { accept: 'application/json', ...coordinator },
    ...(payload ? { payload } : {}),
  });

const positions = async (meetingId: string) =>
  (await world.db.agendaItem.findMany({ where: { meetingId }, orderBy: { position: 'asc' } })).map(
    (i) => i.position,
  );

describe('the agenda at the same moment', () => {
  it('a point removed twice: removed once, the other request 404', async () => {
    const { id, items } = await plannedMeeting('2037-06-09');
    await warmPool(world.db);
    const answers = await Promise.all([
      call('DELETE', `/api/v1/meetings/${id}/agenda/${items[0]}`),
      call('DELETE', `/api/v1/meetings/${id}/agenda/${items[0]}`),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 404]);
    expect(await positions(id)).toEqual([1, 2]);
  });

  it('a point removed while the agenda is reordered: no internal error, numbering 1..n', async () => {
    const { id, items } = await plannedMeeting('2037-06-16');
    await warmPool(world.db);
    const answers = await Promise.all([
      call('PUT', `/api/v1/meetings/${id}/agenda/order`, { itemIds: [...items].reverse() }),
      call('DELETE', `/api/v1/meetings/${id}/agenda/${items[1]}`),
    ]);
    for (const a of answers) expect(a.statusCode).toBeLessThan(500);
    expect(await positions(id)).toEqual([1, 2]);
  });
});
