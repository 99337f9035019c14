/**
 * Secrets handed to people (session cookies, sign-in links, API tokens): 256 random bits, base64url, with
 * a short prefix saying what they are (so a token pasted in the wrong place, or found by a secret scanner,
 * is recognisable). Only their SHA-256 is stored.
 */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../notifications/answers/tokens';

export type SecretKind = 'session' | 'link' | 'token';
const PREFIX: Record<SecretKind, string> = { session: 'gs_', link: 'gl_', token: 'gt_' };

export function newSecret(kind: SecretKind): { secret: string; hash: string } {
  const secret = PREFIX[kind] + randomBytes(32).toString('base64url');
  return { secret, hash: hashToken(secret) };
}

/** The stored form of a secret; anything not shaped like one of ours hashes to nothing stored. */
export function hashOf(kind: SecretKind, presented: string): string | null {
  return presented.startsWith(PREFIX[kind]) && presented.length === PREFIX[kind].length + 43
    ? hashToken(presented)
    : null;
}
