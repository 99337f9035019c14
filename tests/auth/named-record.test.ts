/**
 * The record a request is authorised on must be the record it acts on. A body-level route takes its body
 * from `bodyId` in the body, but the guard also looked at `id` (in the body or the query string) and at
 * `body`, first come first served: a second name for "the body" steered the check onto another record, or,
 * when not a UUID, skipped it as "nothing to protect" while the route went on with `bodyId`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useAuthWorld } from './support';

const world = useAuthWorld({ copies: 1 });

let member: Record<string, string>;
let coordinator: Record<string, string>;
let ownCr: string;
let foreignCr: string;

beforeAll(async () => {
  const db = world.db;
  const ambito = async (code: string) => (await db.ambito.findUniqueOrThrow({ where: { code } })).id;
  const body = async (code: string, ambitoCode: string) =>
    (await db.body.findFirstOrThrow({ where: { code, ambitoId: await ambito(ambitoCode) } })).id;
  ownCr = await body('comitato-ristretto', 'cremasco');
  foreignCr = await body('comitato-ristretto', 'cremasco-1');
  member = await actAs(db, 'sindaco.pandino@example.org');
  coordinator = await actAs(db, 'coordinatore-udp@example.org');
});

const meeting = (bodyId: string) => ({
  bodyId,
  startsAt: '2031-05-13T16:00:00Z',
  endsAt: '2031-05-13T18:00:00Z',
  place: 'Crema',
});

const meetingsOf = (bodyId: string) => world.db.meeting.count({ where: { bodyId } });

describe('creating a meeting', () => {
  it('checks the body it creates the meeting in, whatever else the request names', async () => {
    const cases: { who: Record<string, string>; url: string; bodyId: string }[] = [
      // Another ambito's body, with the caller's own body (or junk) named as `id` in the query.
      { who: coordinator, url: `/api/v1/meetings?id=${ownCr}`, bodyId: foreignCr },
      { who: coordinator, url: '/api/v1/meetings?id=x', bodyId: foreignCr },
      // A member, who may not create meetings at all.
      { who: member, url: '/api/v1/meetings?id=x', bodyId: ownCr },
      { who: member, url: '/api/v1/meetings?body=x', bodyId: ownCr },
    ];
    for (const { who, url, bodyId } of cases) {
      const before = await meetingsOf(bodyId);
      const response = await world.app.inject({
        method: 'POST',
        url,
        headers: { accept: 'application/json', ...who },
        payload: meeting(bodyId),
      });
      expect(response.statusCode, `${url} on ${bodyId === foreignCr ? 'foreign' : 'own'} body`).toBe(403);
      expect(await meetingsOf(bodyId)).toBe(before);
    }
  });

  it('checks the body of the form too', async () => {
    const before = await meetingsOf(foreignCr);
    const response = await world.app.inject({
      method: 'POST',
      url: '/sedute',
      headers: { accept: 'application/json', ...coordinator },
      payload: {
        id: 'x',
        bodyId: foreignCr,
        day: '2031-05-14',
        startTime: '18:00',
        endTime: '20:00',
        place: 'Crema',
      },
    });
    expect(response.statusCode).toBe(403);
    expect(await meetingsOf(foreignCr)).toBe(before);
  });

  it('still lets the coordinator create one in their own body', async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: { accept: 'application/json', ...coordinator },
      payload: meeting(ownCr),
    });
    expect(response.statusCode).toBe(202);
  });
});

describe('Nuova seduta', () => {
  it("offers only the bodies the person may convene, none of another ambito's", async () => {
    const page = async (who: Record<string, string>) =>
      (
        await world.app.inject({
          method: 'GET',
          url: '/sedute/nuova',
          headers: { accept: 'text/html', ...who },
        })
      ).body;
    const coordinators = await page(coordinator);
    expect(coordinators).toContain(`value="${ownCr}"`);
    expect(coordinators).not.toContain(`value="${foreignCr}"`);
    const members = await page(member);
    expect(members).not.toContain(`value="${ownCr}"`);
    expect(members).not.toContain(`value="${foreignCr}"`);
  });
});
