/**
 * Issuing answer links, the answer form and looking up a link's token. Recording an answer is
 * answering.ts, shared by the answer page and Le mie riunioni.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AnswersDb } from './db';
import { answerLinks, answerToken, hashToken, type AnswerChoice } from './tokens';

export interface IssueLinksInput {
  meetingId: string;
  personId: string;
  /** Links stop working after this instant: the end of the meeting (plus any grace the caller adds). */
  expiresAt: string;
  baseUrl: string;
}

/** Creates the invitation once per meeting and person (later calls only move the expiry) and returns its links. */
export async function issueAnswerLinks(
  db: Pick<AnswersDb, 'invitation'>,
  secret: string,
  input: IssueLinksInput,
) {
  const id = randomUUID();
  const invitation = await db.invitation.upsert({
    where: { meetingId_personId: { meetingId: input.meetingId, personId: input.personId } },
    create: {
      id,
      meetingId: input.meetingId,
      personId: input.personId,
      tokenHash: hashToken(answerToken(secret, id)),
      tokenExpiresAt: new Date(input.expiresAt),
    },
    update: { tokenExpiresAt: new Date(input.expiresAt) },
    select: { id: true },
  });
  return answerLinks(input.baseUrl, answerToken(secret, invitation.id));
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
