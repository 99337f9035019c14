/**
 * A roll call naming as delegate a person the registry does not have is refused at the door. Accepted, it
 * reached the workflow, whose activity failed on the foreign key at every retry: the meeting's process stood
 * still, and no later roll call, verbale or circulation went through. Real stack with time skipping.
 */
import { beforeAll, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useApiWorld } from './support';

const world = useApiWorld('api-attendance-delegate');
let headers: Record<string, string>;
let meetingId: string;

beforeAll(async () => {
  headers = await actAs(world.stack.db.prisma, 'coordudp@example.org');
  const created = await world.app.inject({
    method: 'POST',
    url: '/api/v1/meetings',
    headers,
    payload: {
      bodyId: world.district.bodies.cr,
      startsAt: '2027-03-23T18:00:00+01:00',
      endsAt: '2027-03-23T20:00:00+01:00',
      place: 'Sala Giunta, Comune di Crema',
      urgent: true,
    },
  });
  meetingId = created.json().meeting.id;
  await world.stack.skipPast('2027-03-23T18:30:00+01:00');
});

const rollCall = (entries: object[]) =>
  world.app.inject({
    method: 'POST',
    url: `/api/v1/meetings/${meetingId}/attendance`,
    headers,
    payload: { entries },
  });

it('refuses a delegate nobody is registered as, and the next roll call is still recorded', async () => {
  const p = world.district.people;
  const unknown = await rollCall([
    {
      personId: p.assessore2,
      status: 'delegate',
      delegateName: 'Giulia Bianchi',
      delegatePersonId: '00000000-0000-4000-8000-000000000000',
    },
  ]);
  expect(unknown.statusCode).toBe(400);
  expect(unknown.json().fields).toEqual([
    { field: 'entries.0.delegatePersonId', message: 'persona sconosciuta' },
  ]);

  expect((await rollCall([{ personId: p.coordcr, status: 'present' }])).statusCode).toBe(202);
  const db = world.stack.db.prisma;
  let stored = 0;
  for (let i = 0; i < 100 && stored === 0; i++) {
    stored = await db.attendance.count({ where: { meetingId } });
    if (!stored) await new Promise((r) => setTimeout(r, 100));
  }
  expect(stored).toBe(1);
});
