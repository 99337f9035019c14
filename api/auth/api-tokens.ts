/**
 * Personal API tokens for scripts and integrations. A person creates one for themselves, names it, sees it
 * once, and revokes it; `Authorization: Bearer <token>` then acts as that person with that person's
 * permissions (never more). Only the hash is stored. Use is audited at most once an hour per token, so the
 * audit shows which tokens are alive without a row for every request.
 */
import { z } from 'zod';
import type { Database, Prisma } from '../../prisma/client';
import { rowsWithPerson, withPerson } from './principal';
import { hashOf, newSecret } from './secrets';

export const NewToken = z.object({
  nome: z.string().trim().min(1, 'indicare un nome che ricordi a cosa serve').max(100),
});

const AUDIT_USE_EVERY_MS = 3600_000;

export async function createApiToken(db: Database, personId: string, name: string) {
  const { secret, hash } = newSecret('token');
  const row = await db.$transaction(async (tx) => {
    const token = await tx.apiToken.create({ data: { personId, name, tokenHash: hash } });
    await tx.auditEvent.create({
      data: {
        actor: `person:${personId}`,
        action: 'auth.token_created',
        entity: 'api_token',
        entityId: token.id,
        data: { name },
      },
    });
    return token;
  });
  return { id: row.id, name: row.name, createdAt: row.createdAt, token: secret };
}

export async function listApiTokens(db: Database, personId: string) {
  return db.apiToken.findMany({
    where: { personId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the person's own tokens; false when it is not theirs or already revoked. */
export async function revokeApiToken(db: Database, personId: string, tokenId: string, now: Date) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({
      where: { id: tokenId, personId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 1) {
      await tx.auditEvent.create({
        data: {
          actor: `person:${personId}`,
          action: 'auth.token_revoked',
          entity: 'api_token',
          entityId: tokenId,
        },
      });
    }
    return count === 1;
  });
}

/** Tokens with their person (every request with a token reads one). */
const tokens = rowsWithPerson<Prisma.ApiTokenGetPayload<{ include: ReturnType<typeof withPerson> }>>();

/**
 * The live token behind a Bearer value with its person (withPerson), or null. Records its use (at most
 * hourly in the audit).
 */
export async function findApiToken(db: Database, presented: string, now: Date) {
  const hash = hashOf('token', presented);
  if (!hash) return null;
  const token = await tokens(db, hash, now, () =>
    db.apiToken.findUnique({ where: { tokenHash: hash }, include: withPerson(now) }),
  );
  if (!token || token.revokedAt) return null;
  const lastUse = token.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - lastUse > AUDIT_USE_EVERY_MS) {
    await db.$transaction([
      db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } }),
      db.auditEvent.create({
        data: {
          actor: `person:${token.personId}/token:${token.name}`,
          action: 'auth.token_used',
          entity: 'api_token',
          entityId: token.id,
        },
      }),
    ]);
  }
  return token;
}
