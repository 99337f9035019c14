-- AlterTable
ALTER TABLE "FeedToken" ADD COLUMN     "issuedById" UUID;

-- CreateIndex
CREATE INDEX "FeedToken_issuedById_idx" ON "FeedToken"("issuedById");

-- AddForeignKey
ALTER TABLE "FeedToken" ADD CONSTRAINT "FeedToken_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Body feeds issued before this column: their issuer is the person named by the audit event written in the
-- same transaction (same body, same instant). A feed whose issuer cannot be found keeps none and answers 404
-- (api/feeds/routes.ts); the body's segreteria issues a new one.
UPDATE "FeedToken" AS f
SET "issuedById" = a.person
FROM (
  SELECT "entityId", at, substring(actor FROM '^person:([0-9a-f-]{36})')::uuid AS person
  FROM "AuditEvent"
  WHERE action = 'feed.issued' AND entity = 'body'
) AS a
WHERE f."bodyId" IS NOT NULL
  AND a."entityId" = f."bodyId"::text
  AND a.at = f."createdAt"
  AND EXISTS (SELECT 1 FROM "Person" AS p WHERE p.id = a.person);

-- A person's feed is issued by that person.
UPDATE "FeedToken" SET "issuedById" = "personId" WHERE "personId" IS NOT NULL;
