/**
 * A session by hand on the day of a cancelled session of the same body: the cancelled row still holds the
 * day (the series planner reads it as the cancelled occurrence), and a cancelled session cannot be changed.
 * The refusal must say that, instead of sending the person to modify a session that cannot be modified.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { coordinatorOfComitato, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

beforeAll(async () => void ({ cr, coordinator } = await coordinatorOfComitato(world)));

describe('a new session on the day of a cancelled one', () => {
  it('is refused with a message that says the day belongs to a cancelled session; nothing is created', async () => {
    await world.db.meeting.create({
      data: {
        bodyId: cr,
        plannedDateKey: '2027-09-07',
        startsAt: new Date('2027-09-07T16:00:00Z'),
        endsAt: new Date('2027-09-07T18:00:00Z'),
        place: 'Crema',
        status: 'cancelled',
        cancelledAt: new Date(),
        cancellationReason: 'Sala non disponibile',
      },
    });
    const answer = await world.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { accept: 'application/json', ...coordinator },
      payload: {
        bodyId: cr,
        startsAt: '2027-09-07T20:00:00+02:00',
        endsAt: '2027-09-07T21:00:00+02:00',
        place: 'Sala Giunta, Comune di Crema',
        agenda: [{ title: 'Comunicazioni' }],
      },
    });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({
      error: 'riunione_esistente',
      fields: [{ field: 'startsAt', message: 'giorno di una seduta annullata di questo organo' }],
    });
    expect(answer.json().message).toMatch(/è stata annullata/);
    expect(answer.json().message).not.toMatch(/modificarla/);
    expect(await world.db.meeting.count({ where: { bodyId: cr, plannedDateKey: '2027-09-07' } })).toBe(1);
  });
});
