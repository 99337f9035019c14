-- AlterEnum
ALTER TYPE "AttendanceStatus" ADD VALUE 'absent_justified';

-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "arrivedAt" TIMESTAMPTZ(3),
ADD COLUMN     "countsForQuorum" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "delegatePersonId" UUID;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_delegatePersonId_fkey" FOREIGN KEY ("delegatePersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
