/**
 * The roll call of a meeting: one line per seat of the body on the day (holder, standing delegate, the
 * answer given to the convocation, what was recorded) and the quorum it yields. One computation for the
 * workflow (which stores whether each record counted), the meeting page (quorum shown as it is recorded)
 * and the draft verbale.
 */
import { BodyRules, evaluateQuorum, type Presence, type QuorumOutcome } from '../domain/index';
import type { AttendanceStatus, InvitationAnswer, PrismaClient } from '../prisma/client';
import { heldOn } from '../prisma/membership-days';

type Db = PrismaClient;

/** How rolls and reports name the organisation of a holder who belongs to none. */
export const NO_ORGANISATION = 'Senza organizzazione';

/** For the quorum, a justified absence is an absence. */
export const presenceOf = (status: AttendanceStatus): Presence =>
  status === 'absent_justified' ? 'absent' : status;

/** The holder present beats a delegate beats absent: a seat counts once, at its best presence. */
const RANK: Record<Presence, number> = { present: 2, delegate: 1, absent: 0 };

export interface RollCallPerson {
  id: string;
  fullName: string;
}

export interface RecordedAttendance {
  status: AttendanceStatus;
  delegateName: string | null;
  arrivedAt: Date | null;
  countsForQuorum: boolean;
}

export interface RollCallLine {
  seatId: string;
  role: string;
  votes: boolean;
  holder: RollCallPerson;
  /** The holder's organisation, or NO_ORGANISATION (the Cabina di Regia's attendance is read per organisation). */
  organisation: string;
  standingDelegate: RollCallPerson | null;
  /** The answer to the convocation, by holder or standing delegate. */
  answer: { status: InvitationAnswer; delegateName: string | null } | null;
  /** What was recorded for the seat's holder (or, failing that, its standing delegate). */
  recorded: RecordedAttendance | null;
  /** The person the recorded line is about. */
  recordedFor: RollCallPerson | null;
}

export interface RollCall {
  lines: RollCallLine[];
  /** Null when the body has no voting seat filled on the day. */
  quorum: QuorumOutcome | null;
  /** Answers received / invitations sent. */
  answered: number;
  invited: number;
}

/** The roll call as stored now, with the quorum it yields under the body's rule. */
export async function rollCall(db: Db, meetingId: string): Promise<RollCall> {
  const meeting = await db.meeting.findUniqueOrThrow({
    where: { id: meetingId },
    include: { body: true, attendances: true, invitations: true },
  });
  const day = meeting.startsAt;
  const memberships = await db.membership.findMany({
    where: {
      seat: { bodyId: meeting.bodyId },
      ...heldOn(day),
    },
    include: {
      seat: true,
      person: { include: { organisation: { select: { name: true } } } },
      delegate: true,
    },
    orderBy: [{ seat: { code: 'asc' } }],
  });
  const attendanceOf = new Map(meeting.attendances.map((a) => [a.personId, a]));
  const invitationOf = new Map(meeting.invitations.map((i) => [i.personId, i]));
  const person = (p: { id: string; fullName: string }) => ({ id: p.id, fullName: p.fullName });
  const lines = memberships.map((ms): RollCallLine => {
    const ids = [ms.personId, ...(ms.delegatePersonId ? [ms.delegatePersonId] : [])];
    const invitation = ids.map((id) => invitationOf.get(id)).find((i) => i?.answer);
    const recordedId = ids.find((id) => attendanceOf.has(id));
    const recorded = recordedId ? attendanceOf.get(recordedId)! : null;
    return {
      seatId: ms.seatId,
      role: ms.seat.role,
      votes: ms.seat.votes,
      holder: person(ms.person),
      organisation: ms.person.organisation?.name ?? NO_ORGANISATION,
      standingDelegate: ms.delegate ? person(ms.delegate) : null,
      answer: invitation?.answer
        ? { status: invitation.answer, delegateName: invitation.delegateName }
        : null,
      recorded: recorded && {
        status: recorded.status,
        delegateName: recorded.delegateName,
        arrivedAt: recorded.arrivedAt,
        countsForQuorum: recorded.countsForQuorum,
      },
      recordedFor: recorded
        ? person(recorded.personId === ms.personId ? ms.person : (ms.delegate ?? ms.person))
        : null,
    };
  });
  const rules = BodyRules.parse(meeting.body.rules);
  const voting = [...new Set(memberships.filter((m) => m.seat.votes).map((m) => m.seatId))];
  const best = bestPresenceBySeat(meeting.attendances);
  const quorum =
    voting.length === 0
      ? null
      : evaluateQuorum(
          voting,
          [...best]
            .filter(([seatId]) => voting.includes(seatId))
            .map(([seatId, b]) => ({
              seatId,
              presence: b.presence,
            })),
          rules.quorum,
        );
  return {
    lines,
    quorum,
    answered: meeting.invitations.filter((i) => i.answer).length,
    invited: meeting.invitations.length,
  };
}

/** Each seat's best presence and the attendance record that gives it. */
export function bestPresenceBySeat(
  attendances: readonly { id: string; seatId: string | null; status: AttendanceStatus }[],
): Map<string, { presence: Presence; attendanceId: string }> {
  const bySeat = new Map<string, { presence: Presence; attendanceId: string }>();
  for (const a of attendances) {
    if (!a.seatId) continue;
    const presence = presenceOf(a.status);
    const before = bySeat.get(a.seatId);
    if (!before || RANK[presence] > RANK[before.presence])
      bySeat.set(a.seatId, { presence, attendanceId: a.id });
  }
  return bySeat;
}

/** The ids of the records that count for the quorum: each seat's best one, when it is a presence that counts. */
export function countingRecords(
  best: Map<string, { presence: Presence; attendanceId: string }>,
  votingSeats: ReadonlySet<string>,
  delegatesCount: boolean,
): string[] {
  return [...best]
    .filter(([seatId]) => votingSeats.has(seatId))
    .filter(([, b]) => b.presence === 'present' || (b.presence === 'delegate' && delegatesCount))
    .map(([, b]) => b.attendanceId);
}
