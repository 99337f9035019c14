/**
 * Enforces each route's declared access (api/auth/access.ts) with the policy (domain/policy.ts).
 *
 * - Authentication runs first (onRequest): a route that is not public answers 401 to an anonymous API
 *   request, and sends an anonymous browser to the sign-in page, which brings them back afterwards.
 * - Authorisation runs before validation (preValidation), on the parsed but unchecked request: the record
 *   it names (`:id`, `bodyId`...) is looked up only when well formed, and the policy decides (403 when it
 *   says no), so a caller who may not act learns nothing from validation errors. A record that does not
 *   exist is left to the route, which answers its own 404: there is nothing to protect.
 * - An e-mail link to a meeting carries the recipient's answer token (`?t=`): it opens that meeting, and
 *   nothing else, for whoever holds the message.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Action, type Target } from '../../domain/policy';
import { hashToken } from '../../notifications/answers/tokens';
import type { Database, Prisma } from '../../prisma/client';
import { RequestRejected } from '../errors';
import type { RouteAccess, TargetFrom } from './access';
import { ambitiOfPerson } from './tenancy';

export const SIGN_IN_PATH = '/accesso';

export function accessOf(request: FastifyRequest): RouteAccess | undefined {
  return request.routeOptions.config?.access;
}

/** onRequest: who is not signed in gets 401 (API) or the sign-in page (pages), unless the route is public. */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const access = accessOf(request);
  // An address that matches no route gets its 404: there is nothing behind it to protect.
  if (access === 'public' || request.viewer || request.is404) return;
  // An e-mail link to a meeting page opens that meeting without signing in (checked in authorize).
  if (access && access !== 'signed-in' && opensWithToken(access) && tokenOf(request)) return;
  if (request.method === 'GET' && !request.url.startsWith('/api/')) {
    return reply.redirect(`${SIGN_IN_PATH}?ritorno=${encodeURIComponent(request.url)}`, 303);
  }
  throw new RequestRejected(
    401,
    'accesso_richiesto',
    'Accesso richiesto: entrare con il proprio account o un token API.',
  );
}

/** preValidation: the policy decides on the record the request names. */
export function authorize(db: Database) {
  return async (request: FastifyRequest): Promise<void> => {
    const access = accessOf(request);
    if (!access || access === 'public' || access === 'signed-in') return;
    // Every record the request names must pass, not the first one found: a second name for "the body"
    // (`?id=` beside `bodyId`) must not steer the check away from the record the route acts on.
    for (const target of await resolveTargets(db, request, access.on))
      await authorizeOn(db, request, access, target);
  };
}

async function authorizeOn(
  db: Database,
  request: FastifyRequest,
  access: Exclude<RouteAccess, 'public' | 'signed-in'>,
  target: Target,
): Promise<void> {
  if (request.viewer && can(request.viewer.principal, access.action, target)) return;
  if (opensWithToken(access) && target.kind === 'body' && target.meetingId) {
    // Also for whoever is signed in as someone else on this browser: the link opens what it names.
    if (await tokenOpensMeeting(db, tokenOf(request), target.meetingId)) return;
    if (request.viewer)
      throw new RequestRejected(403, 'non_consentito', 'Operazione non consentita per il suo ruolo.');
    throw new RequestRejected(
      401,
      'collegamento_non_valido',
      'Il collegamento non è valido o è scaduto: entrare con il proprio account per vedere la seduta.',
    );
  }
  throw new RequestRejected(403, 'non_consentito', 'Operazione non consentita per il suo ruolo.');
}

/** The policy's answer for a finer check inside a route (e.g. a draft verbale on a readable meeting). */
export async function permits(
  db: Database,
  request: FastifyRequest,
  action: Action,
  on: TargetFrom,
): Promise<boolean> {
  const targets = await resolveTargets(db, request, on);
  const viewer = request.viewer;
  return !!viewer && targets.length > 0 && targets.every((t) => can(viewer.principal, action, t));
}

/** An e-mail token reads one meeting (its page, documents, verbale); preparing or changing it needs a person. */
const opensWithToken = (access: Exclude<RouteAccess, 'public' | 'signed-in'>) =>
  access.on === 'meeting' && access.action === 'meeting.read';

function tokenOf(request: FastifyRequest): string | null {
  const t = (request.query as { t?: unknown } | undefined)?.t;
  return typeof t === 'string' && t.length > 20 && t.length < 200 ? t : null;
}

async function tokenOpensMeeting(db: Database, token: string | null, meetingId: string): Promise<boolean> {
  if (!token) return false;
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { meetingId: true },
  });
  // Answering closes when the meeting ends; reading does not: the verbale is circulated afterwards with the
  // same token, and it opens only this meeting, read-only.
  return !!invitation && invitation.meetingId === meetingId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : null);

function field(request: FastifyRequest, ...names: string[]): unknown {
  const sources = [request.params, request.body, request.query] as (Record<string, unknown> | undefined)[];
  for (const name of names) {
    for (const source of sources) {
      if (source && typeof source === 'object' && source[name] !== undefined) return source[name];
    }
  }
  return undefined;
}

/** Every value the request gives under these names, wherever it gives them. */
function fieldsNamed(request: FastifyRequest, ...names: string[]): unknown[] {
  const sources = [request.params, request.body, request.query] as (Record<string, unknown> | undefined)[];
  return names.flatMap((name) =>
    sources.flatMap((source) =>
      source && typeof source === 'object' && source[name] !== undefined ? [source[name]] : [],
    ),
  );
}

/** What the policy needs of a body: the ambiti it serves. */
const BODY_TARGET = { select: { id: true, ambitoId: true, spansAmbiti: { select: { ambitoId: true } } } };

function bodyTarget(
  body: Prisma.BodyGetPayload<typeof BODY_TARGET> | null,
  meetingId?: string,
): Target | null {
  if (!body) return null;
  const ambitoIds = [...new Set([body.ambitoId, ...body.spansAmbiti.map((a) => a.ambitoId)])];
  return { kind: 'body', bodyId: body.id, ambitoIds, ...(meetingId ? { meetingId } : {}) };
}

/**
 * The records a request names, as the policy sees them; none when there is none to check. A body may be
 * named as `:id`, `bodyId` or `body`, and a route reads only one of them: each body named is checked.
 */
async function resolveTargets(db: Database, request: FastifyRequest, on: TargetFrom): Promise<Target[]> {
  if (on === 'body') {
    const ids = [
      ...new Set(
        fieldsNamed(request, 'id', 'bodyId', 'body')
          .map(uuidOrNull)
          .filter((id) => id !== null),
      ),
    ];
    const bodies = ids.length ? await db.body.findMany({ where: { id: { in: ids } }, ...BODY_TARGET }) : [];
    return bodies.map((body) => bodyTarget(body)!);
  }
  const target = await resolveTarget(db, request, on);
  return target ? [target] : [];
}

async function resolveTarget(
  db: Database,
  request: FastifyRequest,
  on: Exclude<TargetFrom, 'body'>,
): Promise<Target | null> {
  switch (on) {
    case 'ambito': {
      const code = field(request, 'ambito');
      if (typeof code === 'string') {
        const ambito = await db.ambito.findUnique({ where: { code }, select: { id: true } });
        return ambito ? { kind: 'ambito', ambitoId: ambito.id } : null;
      }
      const own = request.viewer ? homeAmbito(request.viewer.principal) : null;
      // Nobody's own ambito: deny on an ambito nobody holds rather than skip the check.
      return { kind: 'ambito', ambitoId: own ?? 'nessuno' };
    }
    case 'meeting': {
      const id = uuidOrNull(field(request, 'id', 'meetingId'));
      const meeting = id
        ? await db.meeting.findUnique({ where: { id }, select: { body: BODY_TARGET } })
        : null;
      return meeting ? bodyTarget(meeting.body, id!) : null;
    }
    case 'deliverable': {
      const id = uuidOrNull(field(request, 'id'));
      const d = id ? await db.deliverable.findUnique({ where: { id }, select: { ambitoId: true } }) : null;
      return d ? { kind: 'ambito', ambitoId: d.ambitoId } : null;
    }
    case 'message': {
      const id = uuidOrNull(field(request, 'id'));
      const message = id
        ? await db.outboxMessage.findUnique({ where: { id }, select: { personId: true } })
        : null;
      if (!message) return null;
      // A recipient may belong to several ambiti (ATS staff): the check passes if the viewer holds one.
      const ambiti = message.personId ? await ambitiOfPerson(db, message.personId) : [];
      const held = request.viewer
        ? ambiti.find((a) => request.viewer!.principal.udpOf.includes(a))
        : undefined;
      return { kind: 'ambito', ambitoId: held ?? ambiti[0] ?? 'nessuno' };
    }
  }
}

/** The ambito a person's ambito-wide role is in: the one a request without `ambito` is about. */
export function homeAmbito(principal: { udpOf: readonly string[]; oversightOf: readonly string[] }) {
  return principal.udpOf[0] ?? principal.oversightOf[0] ?? null;
}
