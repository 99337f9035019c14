/**
 * Browser sessions, kept in Postgres so they can be revoked: the cookie holds a random secret, the row its
 * hash. A session ends on sign-out, on "esci da tutti i dispositivi", or after 12 hours without a request.
 * Signing in always creates a new session (a new id), so a session id planted before sign-in is worthless.
 */
import type { FastifyReply } from 'fastify';
import type { Database, Prisma } from '../../prisma/client';
import { rowsWithPerson, withPerson } from './principal';
import { hashOf, newSecret } from './secrets';

export const SESSION_COOKIE = 'sessione';
export const IDLE_TIMEOUT_MS = 12 * 3600_000;
/** lastSeenAt is written at most this often, so reading pages does not write a row per request. */
const TOUCH_EVERY_MS = 60_000;

export type SignInMethod = 'email_link' | 'oidc';

export interface SessionCookieOptions {
  /** True when PUBLIC_BASE_URL is https: the cookie then never travels in clear. */
  secure: boolean;
}

export async function startSession(
  db: Database,
  reply: FastifyReply,
  personId: string,
  method: SignInMethod,
  options: SessionCookieOptions,
): Promise<void> {
  const { secret, hash } = newSecret('session');
  await db.authSession.create({ data: { tokenHash: hash, personId, method } });
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
  });
}

/** Sessions with their person (every page a signed-in person opens reads one). */
const sessions = rowsWithPerson<Prisma.AuthSessionGetPayload<{ include: ReturnType<typeof withPerson> }>>();

/**
 * The live session behind a cookie value with its person (withPerson), touching it; null when unknown,
 * revoked or idle too long.
 */
export async function findSession(db: Database, cookie: string, now: Date) {
  const hash = hashOf('session', cookie);
  if (!hash) return null;
  const session = await sessions(db, hash, now, () =>
    db.authSession.findUnique({ where: { tokenHash: hash }, include: withPerson(now) }),
  );
  if (!session || session.revokedAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > IDLE_TIMEOUT_MS) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.authSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return session;
}

export async function endSession(db: Database, sessionId: string, now: Date): Promise<void> {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends every session of the person (a lost phone, a shared computer): returns how many were open. */
export async function endAllSessions(db: Database, personId: string, now: Date): Promise<number> {
  const { count } = await db.authSession.updateMany({
    where: { personId, revokedAt: null },
    data: { revokedAt: now },
  });
  return count;
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
