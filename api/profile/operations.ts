/**
 * A person's own profile: the addresses messages go to and the language they are written in. One operation
 * for the JSON route and the form: validated (Italian messages per field), stored with its audit event in one
 * transaction. A new address takes effect for the messages enqueued from then on; those already queued keep
 * theirs (they were rendered for it).
 */
import { z } from 'zod';
import type { Database } from '../../prisma/client';
import { RequestRejected, type FieldProblem } from '../errors';

const optionalEmail = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v.toLowerCase()))
  .pipe(z.email({ message: 'indirizzo PEC non valido' }).nullable());

export const ProfileInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'indirizzo e-mail non valido' })),
  pecEmail: optionalEmail.optional().default(''),
  language: z.enum(['it', 'en'], { message: 'scegliere italiano o inglese' }),
});
export type ProfileInput = z.input<typeof ProfileInput>;

export async function readProfile(db: Database, personId: string) {
  const p = await db.person.findUniqueOrThrow({ where: { id: personId } });
  return { fullName: p.fullName, email: p.email, pecEmail: p.pecEmail, language: p.language };
}

/** Field problems of a form, in Italian, keyed as the form names its fields. */
export function profileProblems(input: unknown): FieldProblem[] {
  const parsed = ProfileInput.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'richiesta'), message: i.message }));
}

const addressInUse = () =>
  new RequestRejected(
    409,
    'indirizzo_in_uso',
    'Profilo non salvato: l’indirizzo è già di un’altra persona.',
    [{ field: 'email', message: 'indirizzo già usato da un’altra persona' }],
  );

export async function updateProfile(db: Database, personId: string, input: unknown, actor: string) {
  const parsed = ProfileInput.safeParse(input);
  if (!parsed.success) {
    throw new RequestRejected(
      400,
      'richiesta_non_valida',
      'Profilo non salvato: correggere i campi indicati.',
      profileProblems(input),
    );
  }
  const next = parsed.data;
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.person.findUniqueOrThrow({ where: { id: personId } });
      const taken = await tx.person.findFirst({ where: { email: next.email, id: { not: personId } } });
      if (taken) throw addressInUse();
      const changed = Object.fromEntries(
        (['email', 'pecEmail', 'language'] as const)
          .filter((k) => before[k] !== next[k])
          .map((k) => [k, { from: before[k], to: next[k] }]),
      );
      if (Object.keys(changed).length > 0) {
        await tx.person.update({ where: { id: personId }, data: next });
        await tx.auditEvent.create({
          data: {
            actor,
            action: 'person.profile_changed',
            entity: 'person',
            entityId: personId,
            data: changed,
          },
        });
      }
      return { fullName: before.fullName, ...next };
    });
  } catch (error) {
    // Two people saving the same new address at once both pass the check above; the unique index then
    // refuses the later update, which must read as the same 409, not a server error.
    if ((error as { code?: string }).code === 'P2002') throw addressInUse();
    throw error;
  }
}
