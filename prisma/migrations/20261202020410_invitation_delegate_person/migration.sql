-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "delegatePersonId" UUID;

-- CreateIndex
CREATE INDEX "Invitation_delegatePersonId_idx" ON "Invitation"("delegatePersonId");

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_delegatePersonId_fkey" FOREIGN KEY ("delegatePersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
