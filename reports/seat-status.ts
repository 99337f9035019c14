/**
 * How a seat stood at one meeting, read from the roll call (activities/roll-call.ts): the one place where
 * the stored attendance becomes a report status, so a change to the roll call changes only this file.
 *
 * - `present`: the holder was there in person;
 * - `delegate`: someone represented the seat: recorded as "delegate" with the delegate's name (a one-meeting
 *   delegate), or the membership's standing delegate recorded present;
 * - `justified`: recorded "absent, justified", or not recorded at all after the holder apologised by answering
 *   the convocation "assente";
 * - `absent`: recorded absent, or not recorded without an apology.
 */
import type { RollCallLine } from '../activities/roll-call';

export type SeatStatus = 'present' | 'delegate' | 'justified' | 'absent';

export const SEAT_STATUS_LABEL: Record<SeatStatus, string> = {
  present: 'Presente',
  delegate: 'Rappresentato da delegato',
  justified: 'Assente giustificato',
  absent: 'Assente',
};

export interface SeatOutcome {
  status: SeatStatus;
  /** Who represented the seat, when status is `delegate`. */
  representedBy: string | null;
  /** The standing delegate who represented the seat, when it was them. */
  representativeId: string | null;
  arrivedAt: Date | null;
  countsForQuorum: boolean;
}

export function seatOutcome(line: RollCallLine): SeatOutcome {
  const r = line.recorded;
  const none = { representedBy: null, representativeId: null, arrivedAt: null, countsForQuorum: false };
  if (!r) return { status: line.answer?.status === 'absent' ? 'justified' : 'absent', ...none };
  const recorded = { arrivedAt: r.arrivedAt, countsForQuorum: r.countsForQuorum };
  switch (r.status) {
    case 'present': {
      const standingDelegate =
        line.recordedFor && line.recordedFor.id !== line.holder.id ? line.recordedFor : null;
      return standingDelegate
        ? {
            status: 'delegate',
            representedBy: standingDelegate.fullName,
            representativeId: standingDelegate.id,
            ...recorded,
          }
        : { status: 'present', representedBy: null, representativeId: null, ...recorded };
    }
    case 'delegate':
      return {
        status: 'delegate',
        representedBy: r.delegateName ?? 'delegato',
        representativeId: null,
        ...recorded,
      };
    case 'absent_justified':
      return { status: 'justified', ...none };
    case 'absent':
      return { status: 'absent', ...none };
  }
}
