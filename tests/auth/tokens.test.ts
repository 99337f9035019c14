/**
 * Personal API tokens and the roles the coordinator names, over real HTTP: a token is created from a
 * signed-in session (with its CSRF token), shown once, stored hashed, acts as its person and nobody more,
 * is audited when used, and stops working when revoked. The coordinator names a segreteria, which then may
 * prepare that body's meetings and nothing else; the last member of the Ufficio di Piano cannot be removed.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../notifications/answers/tokens';
import { actAs, COORDINATORE } from '../support/auth';
import { signInByEmail } from '../support/sign-in';
import { useAuthWorld } from './support';

const world = useAuthWorld();

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API tokens', () => {
  it('are created from a session, shown once, stored hashed, act as their person, and end when revoked', async () => {
    const browser = await signInByEmail(world.url, world.catcher.mailbox, COORDINATORE);
    browser.csrf = ((await (await browser.request('/api/v1/me')).json()) as { csrfToken: string }).csrfToken;
    expect((await browser.request('/api/v1/tokens', { json: { nome: '' } })).status).toBe(400);
    const created = await browser.request('/api/v1/tokens', { json: { nome: 'Foglio delle presenze' } });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(token).toMatch(/^gt_/);

    const stored = await world.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await (await browser.request('/api/v1/tokens')).text();
    expect(listed).toContain('Foglio delle presenze');
    expect(listed).not.toContain(token);

    const me = await world.app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ persona: { email: COORDINATORE }, token: 'Foglio delle presenze' });
    const personId = await world.personId(COORDINATORE);
    const used = await world.db.auditEvent.findMany({ where: { action: 'auth.token_used', entityId: id } });
    expect(used).toEqual([
      expect.objectContaining({ actor: `person:${personId}/token:Foglio delle presenze` }),
    ]);
    // A Bearer request needs no CSRF token.
    const body = await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto' } });
    const change = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/bodies/${body.id}/rules`,
      headers: bearer(token),
      payload: { minutes: { required: true, deadlineDays: 20 } },
    });
    expect(change.statusCode).toBe(202);
    const audit = await world.db.auditEvent.findFirstOrThrow({ where: { action: 'body.rules_changed' } });
    expect(audit.actor).toBe(`person:${personId}/token:Foglio delle presenze`);

    const revoked = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${id}`,
      headers: bearer(token),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await world.app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error).toBe('token_non_valido');
  });

  it("gives a mayor's token the mayor's permissions only", async () => {
    const mayor = await signInByEmail(world.url, world.catcher.mailbox, 'sindaco.pandino@example.org');
    mayor.csrf = ((await (await mayor.request('/api/v1/me')).json()) as { csrfToken: string }).csrfToken;
    const { token } = (await (
      await mayor.request('/api/v1/tokens', { json: { nome: 'script' } })
    ).json()) as {
      token: string;
    };
    const body = await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto' } });
    const change = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/bodies/${body.id}/rules`,
      headers: bearer(token),
      payload: { minutes: { required: true, deadlineDays: 25 } },
    });
    expect(change.statusCode).toBe(403);
    expect((await world.app.inject({ url: '/api/v1/staff', headers: bearer(token) })).statusCode).toBe(403);
  });
});

describe('roles the coordinator names', () => {
  it('names a segreteria, who may then prepare that body and nothing else; keeps at least one Ufficio di Piano', async () => {
    const headers = await actAs(world.db, COORDINATORE);
    const secretary = await world.db.person.create({
      data: { fullName: 'Segretaria del Comitato', email: 'segreteria.cr@example.org' },
    });
    const cr = await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto' } });
    const named = await world.app.inject({
      method: 'PUT',
      url: `/api/v1/bodies/${cr.id}/segreteria/${secretary.id}`,
      headers,
    });
    expect(named.statusCode).toBe(204);
    const staff = (await world.app.inject({ url: '/api/v1/staff', headers })).json() as {
      segreterie: { body: { id: string }; people: { email: string }[] }[];
    };
    expect(staff.segreterie.find((s) => s.body.id === cr.id)!.people.map((p) => p.email)).toEqual([
      'segreteria.cr@example.org',
    ]);
    const meeting = await world.db.meeting.create({
      data: {
        bodyId: cr.id,
        plannedDateKey: '2037-05-12',
        startsAt: new Date('2037-05-12T16:00:00Z'),
        endsAt: new Date('2037-05-12T18:00:00Z'),
        place: 'Crema',
      },
    });
    const asSecretary = await actAs(world.db, 'segreteria.cr@example.org');
    expect(
      (await world.app.inject({ url: `/api/v1/meetings/${meeting.id}`, headers: asSecretary })).statusCode,
    ).toBe(200);
    const cancel = await world.app.inject({
      method: 'POST',
      url: `/api/v1/meetings/${meeting.id}/cancel`,
      headers: asSecretary,
      payload: { reason: 'prova' },
    });
    expect(cancel.statusCode).toBe(403);

    // The Responsabile leaves the Ufficio di Piano; the coordinator, now alone, cannot be removed.
    const responsabile = await world.personId('responsabile-udp@example.org');
    const coordinatore = await world.personId(COORDINATORE);
    const removed = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/staff/ufficio-di-piano/${responsabile}`,
      headers,
    });
    expect(removed.statusCode).toBe(204);
    const last = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/staff/ufficio-di-piano/${coordinatore}`,
      headers,
    });
    expect(last.statusCode).toBe(409);
    expect(await world.db.ufficioDiPianoMember.count()).toBe(1);
  });
});
