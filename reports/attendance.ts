/**
 * Presenze: who attended a body's sessions over a period.
 *
 * Per meeting: each seat with its holder on the day, how the seat stood (reports/seat-status.ts), who
 * represented it, the arrival time, whether it counted for the quorum, and whether the quorum was reached,
 * all read from the roll call the meeting pages and the workflow use (activities/roll-call.ts).
 * Per organisation and per person: meetings expected (only those held while the person held the seat, from
 * the Membership's validFrom/validTo), present in person, by delegate, justified, absent, and the rate
 * (present in person or by delegate) ÷ expected, as the ATS report the district's agreement asks for counts
 * an organisation present when someone represents it (ui-auth.md §5).
 *
 * Only sessions that took place and have a roll call count: a session held without one is listed apart
 * (`withoutRollCall`), since counting its seats absent would blame people for a missing record.
 */
import { rollCall } from '../activities/roll-call';
import { dateOf, type CivilDate } from '../domain/index';
import type { Database } from '../prisma/client';
import { seatOutcome, type SeatStatus } from './seat-status';
import { romeDayRange } from './period';

export interface AttendanceQuery {
  bodyId: string;
  from: CivilDate;
  to: CivilDate;
}

/** Whose rows the viewer may see: all of them, or only those where they held or represented a seat. */
export type AttendanceScope = { kind: 'all' } | { kind: 'own'; personId: string };

export interface SeatRow {
  seatId: string;
  role: string;
  holderId: string;
  holder: string;
  organisation: string;
  status: SeatStatus;
  representedBy: string | null;
  representativeId: string | null;
  arrivedAt: string | null;
  countsForQuorum: boolean;
}

export interface MeetingAttendance {
  meetingId: string;
  date: CivilDate;
  startsAt: string;
  quorum: { reached: boolean; counted: number; required: number; seats: number };
  seats: SeatRow[];
}

export interface Tally {
  expected: number;
  present: number;
  delegate: number;
  justified: number;
  absent: number;
  /** (present + delegate) ÷ expected, between 0 and 1; null when nothing was expected. */
  rate: number | null;
}

export interface AttendanceReport {
  body: { id: string; name: string };
  from: CivilDate;
  to: CivilDate;
  scope: AttendanceScope['kind'];
  meetings: MeetingAttendance[];
  withoutRollCall: { meetingId: string; date: CivilDate }[];
  organisations: ({ organisation: string } & Tally)[];
  people: ({ personId: string; person: string; organisation: string } & Tally)[];
}

export async function attendanceReport(
  db: Database,
  query: AttendanceQuery,
  scope: AttendanceScope,
): Promise<AttendanceReport> {
  const body = await db.body.findUniqueOrThrow({ where: { id: query.bodyId } });
  const meetings = await db.meeting.findMany({
    where: {
      bodyId: body.id,
      status: { in: ['held', 'closed'] },
      startsAt: romeDayRange(query.from, query.to),
    },
    orderBy: { startsAt: 'asc' },
  });

  const report: AttendanceReport = {
    body: { id: body.id, name: body.name },
    from: query.from,
    to: query.to,
    scope: scope.kind,
    meetings: [],
    withoutRollCall: [],
    organisations: [],
    people: [],
  };
  for (const meeting of meetings) {
    const date = dateOf(meeting.startsAt.toISOString());
    const roll = await rollCall(db, meeting.id);
    if (roll.lines.every((line) => line.recorded === null)) {
      report.withoutRollCall.push({ meetingId: meeting.id, date });
      continue;
    }
    const seats = roll.lines.map((line): SeatRow => {
      const outcome = seatOutcome(line);
      return {
        seatId: line.seatId,
        role: line.role,
        holderId: line.holder.id,
        holder: line.holder.fullName,
        organisation: line.organisation,
        status: outcome.status,
        representedBy: outcome.representedBy,
        representativeId: outcome.representativeId,
        arrivedAt: outcome.arrivedAt?.toISOString() ?? null,
        countsForQuorum: outcome.countsForQuorum,
      };
    });
    const visible =
      scope.kind === 'all'
        ? seats
        : seats.filter((s) => s.holderId === scope.personId || s.representativeId === scope.personId);
    if (scope.kind === 'own' && visible.length === 0) continue;
    const q = roll.quorum;
    report.meetings.push({
      meetingId: meeting.id,
      date,
      startsAt: meeting.startsAt.toISOString(),
      quorum: {
        reached: q?.valid ?? false,
        counted: q?.counted ?? 0,
        required: q?.required ?? 0,
        seats: q?.seats ?? 0,
      },
      seats: visible,
    });
  }

  const byOrganisation = new Map<string, Tally>();
  const byPerson = new Map<string, { personId: string; person: string; organisation: string } & Tally>();
  for (const seat of report.meetings.flatMap((m) => m.seats)) {
    count(byOrganisation, seat.organisation, () => emptyTally(), seat.status);
    count(
      byPerson,
      seat.holderId,
      () => ({
        personId: seat.holderId,
        person: seat.holder,
        organisation: seat.organisation,
        ...emptyTally(),
      }),
      seat.status,
    );
  }
  report.organisations = [...byOrganisation]
    .map(([organisation, tally]) => ({ organisation, ...withRate(tally) }))
    .sort((a, b) => a.organisation.localeCompare(b.organisation, 'it'));
  report.people = [...byPerson.values()]
    .map(withRate)
    .sort(
      (a, b) => a.organisation.localeCompare(b.organisation, 'it') || a.person.localeCompare(b.person, 'it'),
    );
  return report;
}

function emptyTally(): Tally {
  return { expected: 0, present: 0, delegate: 0, justified: 0, absent: 0, rate: null };
}

function count<T extends Tally>(map: Map<string, T>, key: string, create: () => T, status: SeatStatus): void {
  const tally = map.get(key) ?? create();
  tally.expected++;
  tally[status]++;
  map.set(key, tally);
}

function withRate<T extends Tally>(tally: T): T {
  return { ...tally, rate: tally.expected === 0 ? null : (tally.present + tally.delegate) / tally.expected };
}
