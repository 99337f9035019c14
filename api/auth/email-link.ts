/**
 * Sign-in by e-mail link, the embedded default and the everyday way in for mayors and delegates.
 *
 * - Asking never tells whether an address is registered: the page is the same either way.
 * - The link is single-use, valid 15 minutes, and stored only as a hash. At most one message per address
 *   per minute leaves, whatever the number of requests (the rate limiter answers floods with 429 first).
 * - Opening the link signs nobody in: mail scanners open every link in a message. It shows a page whose
 *   one button (a POST) consumes the link and starts the session.
 * The message goes through the outbox like every other, so it is never lost nor sent twice.
 */
import type { Database } from '../../prisma/client';
import type { Outbox } from '../../notifications/outbox/outbox';
import { hashOf, newSecret } from './secrets';

export const LINK_VALIDITY_MS = 15 * 60_000;
export const ONE_MESSAGE_PER_ADDRESS_MS = 60_000;

export interface LinkMailer {
  outbox: Outbox;
  baseUrl: string;
  district: string;
}

/** Why a link does not sign in; each has its own Italian page. */
export type LinkProblem = 'unknown' | 'expired' | 'used';

/**
 * Sends a sign-in link to the person registered with `email`, if any. Returns what happened, for the audit
 * only: the visitor sees the same page whatever it is.
 */
export async function requestSignInLink(
  db: Database,
  mailer: LinkMailer,
  input: { email: string; returnTo: string | null; now: Date },
): Promise<{ outcome: 'sent' | 'unknown_address' | 'throttled'; personId: string | null }> {
  const person = await db.person.findFirst({
    where: { email: { equals: input.email, mode: 'insensitive' } },
    select: { id: true, fullName: true, email: true },
  });
  if (!person) return { outcome: 'unknown_address', personId: null };
  const recent = await db.signInLink.findFirst({
    where: {
      personId: person.id,
      createdAt: { gt: new Date(input.now.getTime() - ONE_MESSAGE_PER_ADDRESS_MS) },
    },
    select: { id: true },
  });
  if (recent) return { outcome: 'throttled', personId: person.id };

  const { secret, hash } = newSecret('link');
  const expiresAt = new Date(input.now.getTime() + LINK_VALIDITY_MS);
  const link = await db.signInLink.create({
    data: { tokenHash: hash, personId: person.id, returnTo: input.returnTo, expiresAt, createdAt: input.now },
  });
  await mailer.outbox.send([
    {
      key: `sign-in:${link.id}`,
      kind: 'signInLink',
      to: { name: person.fullName, email: person.email },
      personId: person.id,
      data: {
        district: mailer.district,
        recipient: { name: person.fullName },
        sender: { name: 'Ufficio di Piano' },
        link: `${mailer.baseUrl.replace(/\/$/, '')}/accesso/link/${secret}`,
        expiresAt: expiresAt.toISOString(),
      },
    },
  ]);
  return { outcome: 'sent', personId: person.id };
}

/** What the link page shows before the button is pressed; consumes nothing. */
export async function inspectSignInLink(
  db: Database,
  secret: string,
  now: Date,
): Promise<{ ok: true; fullName: string } | { ok: false; problem: LinkProblem }> {
  const hash = hashOf('link', secret);
  const link = hash
    ? await db.signInLink.findUnique({ where: { tokenHash: hash }, include: { person: true } })
    : null;
  if (!link) return { ok: false, problem: 'unknown' };
  if (link.usedAt) return { ok: false, problem: 'used' };
  if (link.expiresAt <= now) return { ok: false, problem: 'expired' };
  return { ok: true, fullName: link.person.fullName };
}

/**
 * Uses the link once: one UPDATE marks it used only if it is still unused and unexpired, so two presses of
 * the button (two tabs, a double click) sign in once.
 */
export async function consumeSignInLink(
  db: Database,
  secret: string,
  now: Date,
): Promise<{ ok: true; personId: string; returnTo: string | null } | { ok: false; problem: LinkProblem }> {
  const hash = hashOf('link', secret);
  if (!hash) return { ok: false, problem: 'unknown' };
  const { count } = await db.signInLink.updateMany({
    where: { tokenHash: hash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  const link = await db.signInLink.findUnique({ where: { tokenHash: hash } });
  if (!link) return { ok: false, problem: 'unknown' };
  if (count === 0) return { ok: false, problem: link.expiresAt <= now && !link.usedAt ? 'expired' : 'used' };
  return { ok: true, personId: link.personId, returnTo: link.returnTo };
}

/** Only a local path may follow sign-in: never another site (an open redirect would help phishing). */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  return /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/accesso') ? value : null;
}
