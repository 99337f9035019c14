/**
 * A session dated in year 9999 is not a plan, it is a typo; and one whose day in Rome falls in year 10000
 * was stored with the date key "+010000-01-01", after which Oggi, the Calendario and the calendar API
 * answered 500 for everyone in the ambito. A meeting is fixed or moved at most ten years ahead.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let cr: string;

beforeAll(async () => {
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
  const ambitoId = (await world.db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } })).id;
  cr = (await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto', ambitoId } })).id;
});

const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
  world.app.inject({
    method,
    url,
    headers: { accept: 'application/json', ...coordinator },
    ...(payload ? { payload } : {}),
  });

describe('a meeting far in the future', () => {
  it('is refused, naming startsAt, and the calendar still opens', async () => {
    const before = await world.db.meeting.count();
    for (const [startsAt, endsAt] of [
      ['9999-12-31T23:00:00-10:00', '9999-12-31T23:30:00-10:00'],
      ['2099-05-12T16:00:00Z', '2099-05-12T18:00:00Z'],
    ]) {
      const response = await call('POST', '/api/v1/meetings', {
        bodyId: cr,
        startsAt,
        endsAt,
        place: 'Crema',
      });
      expect(response.statusCode, startsAt).toBe(400);
      expect(response.json().fields).toEqual([{ field: 'startsAt', message: 'al massimo 10 anni da oggi' }]);
    }
    expect(await world.db.meeting.count()).toBe(before);
    expect((await call('GET', '/api/v1/calendar?from=2027-01-01&to=2027-12-31')).statusCode).toBe(200);
  });

  it('is not where a meeting can be moved either', async () => {
    const meeting = await world.db.meeting.create({
      data: {
        bodyId: cr,
        plannedDateKey: '2030-06-11',
        startsAt: new Date('2030-06-11T16:00:00Z'),
        endsAt: new Date('2030-06-11T18:00:00Z'),
        place: 'Crema',
      },
    });
    const response = await call('POST', `/api/v1/meetings/${meeting.id}/reschedule`, {
      startsAt: '9999-12-31T23:00:00-10:00',
      endsAt: '9999-12-31T23:30:00-10:00',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().fields).toEqual([{ field: 'startsAt', message: 'al massimo 10 anni da oggi' }]);
  });
});
