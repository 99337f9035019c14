/**
 * How a seat stood at one meeting, from the roll call and the answers: the one place where the stored
 * attendance model is read as a report status, so that a richer roll call changes only this file.
 *
 * Today's roll call stores, per person, present / delegate / absent (with the delegate's name when the
 * holder sent one). A seat is:
 * - `present`: its holder was there in person;
 * - `delegate`: someone represented it: the holder recorded as "delegate" (the name given), the standing
 *   delegate of the membership present, or the one-meeting delegate the holder named in their answer
 *   (matched by e-mail) present;
 * - `justified`: nobody came, but the holder had announced the absence by answering the convocation
 *   "assente" (an apology: GVOffice and Legistar's "Excused");
 * - `absent`: nobody came and nobody apologised, or no roll call row at all.
 * The best of these wins when several rows speak of the same seat (present > delegate > justified > absent).
 */
export type SeatStatus = 'present' | 'delegate' | 'justified' | 'absent';

export const SEAT_STATUS_LABEL: Record<SeatStatus, string> = {
  present: 'Presente',
  delegate: 'Rappresentato da delegato',
  justified: 'Assente giustificato',
  absent: 'Assente',
};

export interface RollCallRow {
  personId: string;
  status: 'present' | 'delegate' | 'absent';
  delegateName: string | null;
  personName: string;
  personEmail: string;
  /** When the person arrived, once the roll call records it. */
  arrivedAt: Date | null;
}

export interface SeatHolding {
  holderId: string;
  standingDelegateId: string | null;
  /** The holder's answer to the convocation, if any. */
  answer: { answer: 'present' | 'absent' | 'delegate'; delegateEmail: string | null } | null;
}

export interface SeatOutcome {
  status: SeatStatus;
  /** Who represented the seat, when status is `delegate`. */
  representedBy: string | null;
  /** The person who represented the seat, when known as a person (standing or one-meeting delegate). */
  representativeId: string | null;
  arrivedAt: Date | null;
}

const RANK: Record<SeatStatus, number> = { present: 3, delegate: 2, justified: 1, absent: 0 };

/** The seat's outcome from the roll call rows of the meeting (all of them; the seat picks its own). */
export function seatOutcome(holding: SeatHolding, rows: readonly RollCallRow[]): SeatOutcome {
  const oneMeetingDelegate =
    holding.answer?.answer === 'delegate' ? holding.answer.delegateEmail?.toLowerCase() : undefined;
  const candidates: SeatOutcome[] = [];
  for (const row of rows) {
    if (row.personId === holding.holderId) {
      if (row.status === 'present') candidates.push(outcome('present', null, null, row.arrivedAt));
      else if (row.status === 'delegate')
        candidates.push(outcome('delegate', row.delegateName ?? 'delegato', null, row.arrivedAt));
    } else if (
      row.status === 'present' &&
      (row.personId === holding.standingDelegateId ||
        (oneMeetingDelegate !== undefined && row.personEmail.toLowerCase() === oneMeetingDelegate))
    ) {
      candidates.push(outcome('delegate', row.personName, row.personId, row.arrivedAt));
    }
  }
  const apologised = holding.answer?.answer === 'absent';
  candidates.push(outcome(apologised ? 'justified' : 'absent', null, null, null));
  return candidates.reduce((best, c) => (RANK[c.status] > RANK[best.status] ? c : best));
}

function outcome(
  status: SeatStatus,
  representedBy: string | null,
  representativeId: string | null,
  arrivedAt: Date | null,
): SeatOutcome {
  return { status, representedBy, representativeId, arrivedAt };
}
