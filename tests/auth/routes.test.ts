/**
 * The route table is the checklist. Every route the server registers must declare who may call it; then
 * every route is called as each kind of person (anonymous, a member, a body's segreteria, ATS as convener,
 * the Cremasco's Ufficio di Piano and another ambito's), on records of the Cremasco, of the Cabina di Regia it
 * shares, and of another ambito. The policy (domain/policy.ts) says what each may do; the test counts a hole
 * whenever the server answers otherwise: anonymous not turned away (401, or the sign-in page), a denied
 * call not answered 403, an allowed call answered 401/403.
 */
import type { RouteOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../../api/auth/access';
import { loadPrincipal } from '../../api/auth/principal';
import { can, type Principal, type Target } from '../../domain/policy';
import { actAs, COORDINATORE } from '../support/auth';
import { useAuthWorld } from './support';

const world = useAuthWorld({ copies: 1 });

interface Persona {
  name: string;
  headers: Record<string, string>;
  principal: Principal | null;
}

/** The records a route is called on, per kind of target, and what the policy sees of each. */
interface Variant {
  label: string;
  id?: string;
  ambito?: string;
  target: (principal: Principal) => Target;
}

const personas: Persona[] = [];
const variants: Record<string, Variant[]> = {};

async function bodyTarget(bodyId: string, meetingId?: string): Promise<Target> {
  const body = await world.db.body.findUniqueOrThrow({
    where: { id: bodyId },
    include: { spansAmbiti: true },
  });
  return {
    kind: 'body',
    bodyId,
    ambitoIds: [...new Set([body.ambitoId, ...body.spansAmbiti.map((a) => a.ambitoId)])],
    ...(meetingId ? { meetingId } : {}),
  };
}

async function person(email: string, name: string): Promise<Persona> {
  const id = await world.personId(email);
  return {
    name,
    headers: await actAs(world.db, email),
    principal: await loadPrincipal(world.db, id, new Date()),
  };
}

beforeAll(async () => {
  const db = world.db;
  const ambito = async (code: string) => (await db.ambito.findUniqueOrThrow({ where: { code } })).id;
  const [cremasco, copia] = [await ambito('cremasco'), await ambito('cremasco-1')];
  const body = (code: string, ambitoId: string) =>
    db.body.findFirstOrThrow({ where: { code, ambitoId } }).then((b) => b.id);
  const cr = await body('comitato-ristretto', cremasco);
  const cabina = await body('cabina-di-regia', cremasco);
  const foreignCr = await body('comitato-ristretto', copia);
  const meeting = async (bodyId: string) =>
    (
      await db.meeting.create({
        data: {
          bodyId,
          plannedDateKey: '2037-03-10',
          startsAt: new Date('2037-03-10T17:00:00Z'),
          endsAt: new Date('2037-03-10T19:00:00Z'),
          place: 'Crema',
        },
      })
    ).id;
  const deliverable = async (ambitoId: string) =>
    (
      await db.deliverable.create({
        data: {
          ambitoId,
          kind: 'report_annuale',
          referenceYear: 2036,
          referencePeriod: '2036',
          ownerRole: 'Responsabile UdP',
          dueDate: new Date('2037-04-30T00:00:00Z'),
        },
      })
    ).id;
  const failedMessage = async (email: string, key: string) =>
    (
      await db.outboxMessage.create({
        data: {
          idempotencyKey: key,
          kind: 'convocation',
          recipientEmail: email,
          personId: await world.personId(email),
          subject: 'Convocazione',
          textBody: 'Testo',
          htmlBody: '<p>Testo</p>',
          messageId: `<${key}@example.org>`,
          status: 'failed',
          lastError: 'rifiutato',
        },
      })
    ).id;

  const ambitoTarget = (ambitoId: string) => () => ({ kind: 'ambito', ambitoId }) as Target;
  const home = (p: Principal): Target => ({
    kind: 'ambito',
    ambitoId: p.udpOf[0] ?? p.oversightOf[0] ?? 'nessuno',
  });
  const fixed = (target: Target) => () => target;
  const [crMeeting, cabinaMeeting, foreignMeeting] = [
    await meeting(cr),
    await meeting(cabina),
    await meeting(foreignCr),
  ];
  const [ownDeliverable, foreignDeliverable] = [await deliverable(cremasco), await deliverable(copia)];
  Object.assign(variants, {
    ambito: [
      { label: 'own ambito', target: home },
      { label: 'Cremasco', ambito: 'cremasco', target: ambitoTarget(cremasco) },
      { label: 'other ambito', ambito: 'cremasco-1', target: ambitoTarget(copia) },
    ],
    body: [
      { label: 'Comitato Ristretto', id: cr, target: fixed(await bodyTarget(cr)) },
      { label: 'Cabina di Regia', id: cabina, target: fixed(await bodyTarget(cabina)) },
      { label: 'other Comitato', id: foreignCr, target: fixed(await bodyTarget(foreignCr)) },
    ],
    meeting: [
      { label: 'CR meeting', id: crMeeting, target: fixed(await bodyTarget(cr, crMeeting)) },
      { label: 'Cabina meeting', id: cabinaMeeting, target: fixed(await bodyTarget(cabina, cabinaMeeting)) },
      {
        label: 'other meeting',
        id: foreignMeeting,
        target: fixed(await bodyTarget(foreignCr, foreignMeeting)),
      },
    ],
    deliverable: [
      { label: 'own deliverable', id: ownDeliverable, target: ambitoTarget(cremasco) },
      { label: 'other deliverable', id: foreignDeliverable, target: ambitoTarget(copia) },
    ],
    message: [
      {
        label: 'own message',
        id: await failedMessage('sindaco.pandino@example.org', 'matrix:own'),
        target: ambitoTarget(cremasco),
      },
      {
        label: 'other message',
        id: await failedMessage('sindaco.pandino+c1@example.org', 'matrix:other'),
        target: ambitoTarget(copia),
      },
    ],
  } satisfies Record<string, Variant[]>);

  const segretario = await db.person.create({
    data: { fullName: 'Segretaria del Comitato', email: 'segreteria.cr@example.org' },
  });
  await db.segreteria.create({ data: { bodyId: cr, personId: segretario.id } });
  const ats = await db.person.findFirstOrThrow({ where: { organisation: { kind: 'ats' } } });
  personas.push(
    { name: 'anonymous', headers: {}, principal: null },
    await person('sindaco.pandino@example.org', 'member'),
    await person('segreteria.cr@example.org', 'segreteria'),
    await person(ats.email, 'convener (ATS)'),
    await person(COORDINATORE, 'Ufficio di Piano'),
    await person('coordinatore-udp+c1@example.org', 'Ufficio di Piano of another ambito'),
  );
});

/** Routes as registered, once each (HEAD mirrors GET; static files are whole folders served to anyone). */
function routes(): RouteOptions[] {
  return world.app.routeTable.filter((r) => r.method !== 'HEAD' && !r.url.includes('*'));
}

const methods = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]);
const accessOf = (r: RouteOptions) => (r.config as { access?: RouteAccess } | undefined)?.access;
const A_UUID = '00000000-0000-4000-8000-000000000000';

function call(route: RouteOptions, method: string, persona: Persona, variant?: Variant) {
  const url = route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'id' && variant?.id) || A_UUID);
  const query = new URLSearchParams();
  if (variant?.ambito) query.set('ambito', variant.ambito);
  if (variant?.id && !route.url.includes(':id')) query.set('body', variant.id);
  const payload =
    method === 'GET' || method === 'DELETE'
      ? undefined
      : {
          ...(variant?.id ? { bodyId: variant.id } : {}),
          ...(variant?.ambito ? { ambito: variant.ambito } : {}),
        };
  return world.app.inject({
    method: method as 'GET',
    url: `${url}${query.size ? `?${query}` : ''}`,
    headers: { accept: 'application/json', ...persona.headers },
    ...(payload ? { payload } : {}),
  });
}

const turnedAway = (status: number, location: string | undefined) =>
  status === 401 || (status === 303 && !!location?.startsWith('/accesso'));

describe('the route table', () => {
  it('declares who may call every route', () => {
    const undeclared = world.app.routeTable
      .filter((r) => accessOf(r) === undefined)
      .map((r) => `${methods(r).join(',')} ${r.url}`);
    expect(undeclared).toEqual([]);
    expect(world.app.routeTable.length).toBeGreaterThan(20);
  });

  it('is enforced for every route, person and record as the policy says', async () => {
    const holes: string[] = [];
    let cells = 0;
    for (const route of routes()) {
      const access = accessOf(route)!;
      if (access === 'public') continue;
      for (const method of methods(route)) {
        const on = access === 'signed-in' ? null : access.on;
        for (const persona of personas) {
          for (const variant of on ? variants[on]! : [undefined]) {
            cells++;
            const response = await call(route, method, persona, variant);
            const { statusCode: status } = response;
            const where = `${method} ${route.url} as ${persona.name}${variant ? ` on ${variant.label}` : ''}`;
            if (!persona.principal) {
              if (!turnedAway(status, response.headers.location as string | undefined))
                holes.push(`${where}: ${status}, expected 401 or the sign-in page`);
              continue;
            }
            const allowed =
              access === 'signed-in' ||
              can(persona.principal, access.action, variant!.target(persona.principal));
            if (!allowed && status !== 403) holes.push(`${where}: ${status}, the policy denies it (403)`);
            if (allowed && (status === 401 || status === 403))
              holes.push(`${where}: ${status}, the policy allows it`);
            if (status >= 500) holes.push(`${where}: ${status} ${response.body.slice(0, 200)}`);
          }
        }
      }
    }
    console.log(`matrice dei permessi: ${cells} casi, ${holes.length} buchi`);
    expect(holes).toEqual([]);
    expect(cells).toBeGreaterThan(300);
  }, 180_000);
});
