/**
 * Stores a roll call: one row per person and meeting, created with its recording instant and updated in
 * place when the roll call is taken again. One statement for all the entries (a Sub-ambito's assembly has a
 * dozen mayors, the Assemblea dei Sindaci 48) instead of one upsert each.
 */
import type { PrismaClient } from '../prisma/client';
import type { AttendanceRecord } from '../workflows/contracts';

type Entry = AttendanceRecord['entries'][number];

export async function storeAttendance(
  db: Pick<PrismaClient, '$executeRaw'>,
  meetingId: string,
  entries: (Entry & { seatId: string | null })[],
  recordedAt: Date,
): Promise<void> {
  // A later entry for the same person wins, as it did row by row; one statement may not touch a row twice.
  const rows = [...new Map(entries.map((e) => [e.personId, e])).values()];
  if (rows.length === 0) return;
  const column = <T>(pick: (e: (typeof rows)[number]) => T) => rows.map(pick);
  await db.$executeRaw`
    INSERT INTO "Attendance" ("meetingId", "personId", "seatId", status, "delegateName", "delegatePersonId",
      "arrivedAt", "recordedAt")
    SELECT ${meetingId}::uuid, person, seat, st::"AttendanceStatus", delegate_name, delegate_person, arrived,
      ${recordedAt}::timestamptz
    FROM unnest(${column((e) => e.personId)}::uuid[], ${column((e) => e.seatId)}::uuid[],
      ${column((e) => e.status)}::text[], ${column((e) => e.delegateName ?? null)}::text[],
      ${column((e) => e.delegatePersonId ?? null)}::uuid[],
      ${column((e) => (e.arrivedAt ? new Date(e.arrivedAt) : null))}::timestamptz[])
      AS t(person, seat, st, delegate_name, delegate_person, arrived)
    ON CONFLICT ("meetingId", "personId") DO UPDATE SET "seatId" = EXCLUDED."seatId", status = EXCLUDED.status,
      "delegateName" = EXCLUDED."delegateName", "delegatePersonId" = EXCLUDED."delegatePersonId",
      "arrivedAt" = EXCLUDED."arrivedAt"`;
}
