/**
 * Issuing answer links, the answer form and looking up a link's token. Recording an answer is
 * answering.ts, shared by the answer page and Le mie riunioni.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AnswersDb } from './db';
import { answerLinks, answerToken, hashToken, type AnswerChoice, type AnswerLinks } from './tokens';

export interface IssueLinksInput {
  meetingId: string;
  personId: string;
  /** Links stop working after this instant: the end of the meeting (plus any grace the caller adds). */
  expiresAt: string;
  baseUrl: string;
}

/** Creates the invitation once per meeting and person (later calls only move the expiry) and returns its links. */
export async function issueAnswerLinks(
  db: Pick<AnswersDb, '$queryRaw'>,
  secret: string,
  input: IssueLinksInput,
): Promise<AnswerLinks> {
  const { personId, ...meeting } = input;
  return (await issueAnswerLinksToAll(db, secret, { ...meeting, personIds: [personId] })).get(personId)!;
}

/**
 * issueAnswerLinks for every invitee of one meeting in a single statement (a convocation reaches up to 48
 * mayors): INSERT ... ON CONFLICT keeps an existing invitation, and with it its token, and moves its expiry.
 * Returns the links by person.
 */
export async function issueAnswerLinksToAll(
  db: Pick<AnswersDb, '$queryRaw'>,
  secret: string,
  input: Omit<IssueLinksInput, 'personId'> & { personIds: string[] },
): Promise<Map<string, AnswerLinks>> {
  // Each person once: one statement may not touch the same row twice.
  const personIds = [...new Set(input.personIds)];
  if (personIds.length === 0) return new Map();
  const ids = personIds.map(() => randomUUID());
  const hashes = ids.map((id) => hashToken(answerToken(secret, id)));
  const rows = await db.$queryRaw<{ id: string; personId: string }[]>`
    INSERT INTO "Invitation" (id, "meetingId", "personId", "tokenHash", "tokenExpiresAt")
    SELECT id, ${input.meetingId}::uuid, person, hash, ${new Date(input.expiresAt)}::timestamptz
    FROM unnest(${ids}::uuid[], ${personIds}::uuid[], ${hashes}::text[]) AS t(id, person, hash)
    ON CONFLICT ("meetingId", "personId") DO UPDATE SET "tokenExpiresAt" = EXCLUDED."tokenExpiresAt"
    RETURNING id::text, "personId"::text`;
  return new Map(rows.map((r) => [r.personId, answerLinks(input.baseUrl, answerToken(secret, r.id))]));
}

// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

/** The form as posted by the answer page; Italian field names, Italian messages. */
export const AnswerForm = z
  .object({
    scelta: z.enum(['presente', 'assente', 'delegato'], {
      message: 'Scegliere presente, assente o delegato',
    }),
    // Control characters never belong in a name or an address (and Postgres refuses NUL in text).
    nome_delegato: z
      .string()
      .trim()
      .max(200)
      .regex(NO_CONTROL, 'caratteri non ammessi')
      .optional()
      .default(''),
    email_delegato: z
      .string()
      .trim()
      .max(320)
      .regex(NO_CONTROL, 'caratteri non ammessi')
      .optional()
      .default(''),
  })
  .superRefine((form, ctx) => {
    if (form.scelta !== 'delegato') return;
    if (form.nome_delegato.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['nome_delegato'],
        message: 'Indicare nome e cognome del delegato',
      });
    if (!z.email().safeParse(form.email_delegato).success)
      ctx.addIssue({
        code: 'custom',
        path: ['email_delegato'],
        message: 'Indicare un indirizzo e-mail valido per il delegato',
      });
  });
export type AnswerForm = z.output<typeof AnswerForm>;

export const WORD_TO_CHOICE: Record<AnswerForm['scelta'], AnswerChoice> = {
  presente: 'present',
  assente: 'absent',
  delegato: 'delegate',
};

export type Lookup =
  | { state: 'unknown' }
  | { state: 'expired'; invitation: NonNullable<Awaited<ReturnType<typeof findInvitation>>> }
  | { state: 'open'; invitation: NonNullable<Awaited<ReturnType<typeof findInvitation>>> };

function findInvitation(db: AnswersDb, token: string) {
  return db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { meeting: { include: { body: true } }, person: true },
  });
}

export async function lookupToken(db: AnswersDb, token: string, now: Date): Promise<Lookup> {
  // Tokens are 43 base64url characters; anything else is not worth a query.
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'unknown' };
  const invitation = await findInvitation(db, token);
  if (!invitation) return { state: 'unknown' };
  return invitation.tokenExpiresAt.getTime() <= now.getTime()
    ? { state: 'expired', invitation }
    : { state: 'open', invitation };
}
