/**
 * How tests act as a person: `await actAs(db, 'coordinatore-udp@example.org')` gives the headers of an
 * API request made by the person with that e-mail (seeded or created by the test): a personal API token
 * created for them, exactly as the person would create one, sent as `Authorization: Bearer …`.
 */
import { createApiToken } from '../../api/auth/api-tokens';
import type { PrismaClient } from '../../prisma/client';

/** The seeded Coordinatore dell'Ufficio di Piano of the Cremasco. */
export const COORDINATORE = 'coordinatore-udp@example.org';

export async function actAs(db: PrismaClient, email: string): Promise<Record<string, string>> {
  const person = await db.person.findUniqueOrThrow({ where: { email } });
  const { token } = await createApiToken(db, person.id, 'test');
  return { authorization: `Bearer ${token}` };
}
