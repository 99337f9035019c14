/**
 * How tests act as a person: `await actAs(db, 'coordinatore-udp@example.org')` gives the headers of an
 * API request made by the person with that e-mail (seeded or created by the test).
 *
 * Until sign-in lands this names the person in the legacy `X-Utente` header; with sign-in it creates a
 * personal API token for the person and returns `Authorization: Bearer …`, so callers never change.
 */
import type { PrismaClient } from '../../prisma/client';

export async function actAs(db: PrismaClient, email: string): Promise<Record<string, string>> {
  const person = await db.person.findUniqueOrThrow({ where: { email } });
  return { 'x-utente': person.fullName };
}
