/**
 * Whether a session is valid: the seats counted present against the body's quorum rule.
 *
 * A delegate present for a seat counts for that seat when the rule says delegates count (the default: the
 * seeds hold no quorum rule, governance.md §4; the 2018 agreement lets mayors be represented by delegates).
 * A seat with no attendance record is absent.
 */
import { z } from 'zod';
import type { Quorum } from './body-rules';

export const Presence = z.enum(['present', 'delegate', 'absent']);
export type Presence = z.infer<typeof Presence>;

export interface SeatAttendance {
  seatId: string;
  presence: Presence;
}

export interface QuorumOutcome {
  valid: boolean;
  seats: number;
  /** Seats counted towards the quorum. */
  counted: number;
  present: number;
  /** Seats represented by a delegate (counted only when the rule allows). */
  delegates: number;
  /** Seats needed for a valid session. */
  required: number;
  /** counted - required: how many seats above the quorum (>= 0) or short of it (< 0). */
  margin: number;
}

/** The number of seats a rule requires out of `seats`, in integer arithmetic. */
export function requiredSeats(seats: number, rule: Quorum): number {
  const share = seats * rule.numerator;
  return rule.strictlyMoreThan
    ? Math.floor(share / rule.denominator) + 1
    : Math.ceil(share / rule.denominator);
}

export function evaluateQuorum(
  seats: readonly string[],
  attendance: readonly SeatAttendance[],
  rule: Quorum,
): QuorumOutcome {
  if (seats.length === 0) throw new RangeError("L'organo non ha seggi");
  const seatSet = new Set(seats);
  if (seatSet.size !== seats.length) throw new RangeError('Seggi duplicati');
  if (rule.numerator > rule.denominator) throw new RangeError('Quorum superiore alla totalità dei seggi');
  const seen = new Set<string>();
  let present = 0;
  let delegates = 0;
  for (const a of attendance) {
    if (!seatSet.has(a.seatId)) throw new RangeError(`Presenza per un seggio sconosciuto: ${a.seatId}`);
    if (seen.has(a.seatId)) throw new RangeError(`Presenza registrata due volte per il seggio ${a.seatId}`);
    if (!Presence.safeParse(a.presence).success)
      throw new RangeError(`Presenza non valida: ${String(a.presence)}`);
    seen.add(a.seatId);
    if (a.presence === 'present') present++;
    else if (a.presence === 'delegate') delegates++;
  }
  const counted = present + (rule.delegatesCount ? delegates : 0);
  const required = requiredSeats(seats.length, rule);
  return {
    valid: counted >= required,
    seats: seats.length,
    counted,
    present,
    delegates,
    required,
    margin: counted - required,
  };
}
