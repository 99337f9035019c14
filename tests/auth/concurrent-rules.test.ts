/**
 * Two changes to one body's rules at the same moment, each to its own section (one person the notice,
 * another the minutes): each section given replaces its own, and the other stays, as one after the other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { coordinatorOfComitato, warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

beforeAll(async () => void ({ cr, coordinator } = await coordinatorOfComitato(world)));

const patch = (change: object) =>
  world.app.inject({
    method: 'PATCH',
    url: `/api/v1/bodies/${cr}/rules`,
    headers: { accept: 'application/json', ...coordinator },
    payload: change,
  });

describe("a body's rules changed twice at once", () => {
  it('keeps both sections', async () => {
    const before = (await world.db.body.findUniqueOrThrow({ where: { id: cr } })).rules as {
      notice: { ordinaryFreeDays: number; urgentHours: number };
      minutes: { deadlineDays: number };
    };
    const notice = { ...before.notice, ordinaryFreeDays: before.notice.ordinaryFreeDays + 2 };
    const minutes = { ...before.minutes, deadlineDays: before.minutes.deadlineDays + 5 };
    await warmPool(world.db);
    const answers = await Promise.all([patch({ notice }), patch({ minutes })]);
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    const after = (await world.db.body.findUniqueOrThrow({ where: { id: cr } })).rules;
    expect(after).toMatchObject({ notice, minutes });
  });
});
