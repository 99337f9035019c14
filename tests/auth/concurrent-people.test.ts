/**
 * The same person added twice at the same moment (a double click on «Aggiungi», a script retrying): one
 * is created, and the other is told the address is taken (409), as it would be one after the other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { warmPool, useAuthWorld } from './support';

const world = useAuthWorld();

let coordinator: Record<string, string>;
let organisationId: string;

beforeAll(async () => {
  coordinator = await actAs(world.db, 'coordinatore-udp@example.org');
  organisationId = (await world.db.organisation.findFirstOrThrow({ where: { ambito: { code: 'cremasco' } } }))
    .id;
});

const add = () =>
  world.app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: { accept: 'application/json', ...coordinator },
    payload: { fullName: 'Giulia Neri', email: 'g.neri@example.org', organisationId },
  });

describe('a person added twice at once', () => {
  it('is created once; the other request gets 409', async () => {
    await warmPool(world.db);
    const answers = await Promise.all([add(), add()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(await world.db.person.count({ where: { email: 'g.neri@example.org' } })).toBe(1);
  });
});
