/**
 * Answer-link tokens. One invitation row per meeting and person, with a random id (uuid v4). The token in
 * the links is HMAC-SHA256(server secret, invitation id); the database keeps only its SHA-256.
 *
 * Why derived and not stored: every message about a meeting (convocation, update, reminder) must carry a
 * working link, and a Temporal activity may render them again after a retry. Deriving the same token from
 * the row means links in earlier e-mails keep working, while a copy of the database alone (ids and hashes)
 * gives no usable link: the secret is needed too.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function answerToken(secret: string, invitationId: string): string {
  return createHmac('sha256', secret).update(`answer:${invitationId}`).digest('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type AnswerChoice = 'present' | 'absent' | 'delegate';
/** The Italian words used in links and forms, so a URL read aloud still makes sense. */
export const CHOICE_WORDS: Record<AnswerChoice, string> = {
  present: 'presente',
  absent: 'assente',
  delegate: 'delegato',
};

export type AnswerLinks = Record<AnswerChoice, string>;

export function answerLinks(baseUrl: string, token: string): AnswerLinks {
  const base = `${baseUrl.replace(/\/$/, '')}/risposta/${token}`;
  return {
    present: `${base}?scelta=${CHOICE_WORDS.present}`,
    absent: `${base}?scelta=${CHOICE_WORDS.absent}`,
    delegate: `${base}?scelta=${CHOICE_WORDS.delegate}`,
  };
}

/**
 * ANSWER_LINK_SECRET when set (required in production); otherwise a secret generated once and kept in the
 * data folder (mode 600), so links survive restarts on a laptop without anybody inventing a secret.
 */
export function loadAnswerLinkSecret(env: Record<string, string | undefined>, dataDir: string): string {
  const fromEnv = env.ANSWER_LINK_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32)
      throw new Error('ANSWER_LINK_SECRET: almeno 32 caratteri / at least 32 characters');
    return fromEnv;
  }
  if (env.NODE_ENV === 'production')
    throw new Error('ANSWER_LINK_SECRET obbligatorio in produzione / required in production');
  const file = join(dataDir, 'answer-link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
