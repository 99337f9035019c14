/**
 * Two people of the Ufficio di Piano acting at once (or one double submit) must leave what one request alone
 * would: the last member of the Ufficio di Piano stays, and a seat has one holder from a given day.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let ambitoId: string;

beforeAll(async () => {
  ambitoId = (await world.db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } })).id;
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
});

/**
 * Idle connections in the pool, as in a service that has been running: otherwise the first request's
 * transaction ends while the second one is still connecting, and nothing happens at the same moment.
 */

const call = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
  world.app.inject({
    method,
    url,
    headers: { accept: 'application/json', ...coordinator },
    ...(payload ? { payload } : {}),
  });

describe('at the same moment', () => {
  it('two holders assigned to one seat from the same day leave one holder', async () => {
    const body = await world.db.body.findFirstOrThrow({
      where: { code: 'comitato-ristretto', ambitoId },
      include: { seats: { include: { memberships: { where: { validTo: null } } } } },
    });
    const held = body.seats.filter((s) => s.memberships.length > 0);
    const seat = held[0]!;
    // Two people of the ambito: the holders of two other seats.
    const [a, b] = [held[1]!.memberships[0]!.personId, held[2]!.memberships[0]!.personId];
    await warmPool(world.db);
    const answers = await Promise.all(
      [a, b].map((personId) =>
        call('POST', `/api/v1/bodies/${body.id}/seats/${seat.id}/holders`, {
          personId,
          validFrom: '2031-01-01',
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const open = await world.db.membership.count({ where: { seatId: seat.id, validTo: null } });
    expect(open).toBe(1);
  });

  it('two removals from the Ufficio di Piano never leave it empty', async () => {
    const members = await world.db.ufficioDiPianoMember.findMany({ where: { ambitoId } });
    expect(members).toHaveLength(2);
    await warmPool(world.db);
    const answers = await Promise.all(
      members.map((m) => call('DELETE', `/api/v1/staff/ufficio-di-piano/${m.personId}`)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409]);
    expect(await world.db.ufficioDiPianoMember.count({ where: { ambitoId } })).toBe(1);
  });
});
