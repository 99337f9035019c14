/**
 * Ambiti are tenants for people too: the Ufficio di Piano seats, delegates and names staff among the people
 * of its ambito (and ATS's), never someone of another ambito picked by identifier or e-mail. A foreign
 * person seated here became "of this ambito" for the Persone page, which could then change their address:
 * another ambito's coordinator, and with their e-mail link their account.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs } from '../support/auth';
import { useAuthWorld } from './support';

const world = useAuthWorld({ copies: 1 });

let coordinator: Record<string, string>;
let cr: string;
let seatId: string;
let foreigner: string;
const FOREIGN = 'coordinatore-udp+c1@example.org';

beforeAll(async () => {
  const db = world.db;
  const cremasco = (await db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } })).id;
  const body = await db.body.findFirstOrThrow({
    where: { code: 'comitato-ristretto', ambitoId: cremasco },
    include: { seats: { where: { allowsDelegate: true } } },
  });
  cr = body.id;
  seatId = body.seats[0]!.id;
  foreigner = await world.personId(FOREIGN);
  coordinator = await actAs(db, 'coordinatore-udp@example.org');
});

const json = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
  world.app.inject({
    method,
    url,
    headers: { accept: 'application/json', ...coordinator },
    ...(payload ? { payload } : {}),
  });

const holdsAnything = async () =>
  (await world.db.membership.count({
    where: { seat: { bodyId: cr }, OR: [{ personId: foreigner }, { delegatePersonId: foreigner }] },
  })) +
  (await world.db.segreteria.count({ where: { personId: foreigner, bodyId: cr } })) +
  (await world.db.ufficioDiPianoMember.count({
    where: { personId: foreigner, ambito: { code: 'cremasco' } },
  }));

describe("another ambito's person", () => {
  it('is not seated, made delegate, segreteria or Ufficio di Piano here', async () => {
    const membership = await world.db.membership.findFirstOrThrow({ where: { seatId, validTo: null } });
    const refused = [
      await json('POST', `/api/v1/bodies/${cr}/seats/${seatId}/holders`, {
        personId: foreigner,
        validFrom: '2030-01-01',
      }),
      await json('PUT', `/api/v1/bodies/${cr}/memberships/${membership.id}/delegate`, {
        delegatePersonId: foreigner,
      }),
      await json('PUT', `/api/v1/bodies/${cr}/segreteria/${foreigner}`),
      await json('PUT', `/api/v1/staff/ufficio-di-piano/${foreigner}`),
      // The Organi page's form, which names the person by e-mail.
      await world.app.inject({
        method: 'POST',
        url: `/organi/${cr}/seggi/${seatId}/titolare`,
        headers: { accept: 'application/json', ...coordinator },
        payload: { personId: FOREIGN, validFrom: '2030-02-01' },
      }),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 400]);
    expect(refused[4]!.body).toContain('nessuna persona registrata con questa e-mail');
    expect(await holdsAnything()).toBe(0);
  });

  it('stays out of reach of the Persone page', async () => {
    const organisation = await world.db.organisation.findFirstOrThrow({
      where: { ambito: { code: 'cremasco' } },
    });
    const response = await json('PATCH', `/api/v1/people/${foreigner}`, {
      fullName: 'Coordinatore',
      email: 'altro@example.org',
      organisationId: organisation.id,
    });
    expect(response.statusCode).toBe(404);
    expect((await world.db.person.findUniqueOrThrow({ where: { id: foreigner } })).email).toBe(FOREIGN);
  });
});
