/**
 * Calendar feed tokens: 32 random bytes (base64url, 43 characters), shown once to whoever asks for them;
 * only their SHA-256 is stored. Issuing a token for a person or a body revokes the one before, in the same
 * transaction with its audit event (which never carries the token). The token records who issued it: a body's
 * feed is that person's credential and works only while they may read the body (routes.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../prisma/client';

export type FeedOwner = { personId: string } | { bodyId: string };

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function issueFeedToken(
  db: Database,
  owner: FeedOwner,
  issuedById: string,
  actor: string,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await db.$transaction(async (tx) => {
    const revoked = await tx.feedToken.updateMany({
      where: { ...owner, revokedAt: null },
      data: { revokedAt: now },
    });
    await tx.feedToken.create({
      data: { ...owner, issuedById, tokenHash: hashFeedToken(token), createdAt: now },
    });
    await tx.auditEvent.create({
      data: {
        actor,
        action: 'feed.issued',
        entity: 'personId' in owner ? 'person' : 'body',
        entityId: 'personId' in owner ? owner.personId : owner.bodyId,
        data: { revokedPrevious: revoked.count },
        at: now,
      },
    });
  });
  return token;
}

/** The owner of an active token and who issued it, or null (unknown or revoked: both answer 404). */
export async function feedOwner(
  db: Database,
  token: string,
): Promise<{ owner: FeedOwner; issuedById: string | null } | null> {
  const row = await db.feedToken.findUnique({ where: { tokenHash: hashFeedToken(token) } });
  if (!row || row.revokedAt) return null;
  const owner = row.personId ? { personId: row.personId } : { bodyId: row.bodyId! };
  return { owner, issuedById: row.issuedById };
}
