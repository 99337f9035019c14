import { describe, expect, it } from 'vitest';
import { evaluateQuorum, requiredSeats, type SeatAttendance } from './quorum';

const majority = { numerator: 1, denominator: 2, strictlyMoreThan: true, delegatesCount: true };
const seats = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
const att = (present: number, delegate: number, absent = 0): SeatAttendance[] => [
  ...seats(present).map((seatId) => ({ seatId, presence: 'present' as const })),
  ...seats(present + delegate)
    .slice(present)
    .map((seatId) => ({ seatId, presence: 'delegate' as const })),
  ...seats(present + delegate + absent)
    .slice(present + delegate)
    .map((seatId) => ({ seatId, presence: 'absent' as const })),
];

describe('requiredSeats', () => {
  it.each([
    [12, majority, 7],
    [13, majority, 7],
    [48, majority, 25],
    [12, { ...majority, strictlyMoreThan: false }, 6],
    [13, { ...majority, strictlyMoreThan: false }, 7],
    [12, { numerator: 2, denominator: 3, strictlyMoreThan: false, delegatesCount: true }, 8],
    [10, { numerator: 2, denominator: 3, strictlyMoreThan: false, delegatesCount: true }, 7],
    [3, { numerator: 1, denominator: 1, strictlyMoreThan: false, delegatesCount: true }, 3],
  ])('%i seats -> %i', (n, rule, expected) => {
    expect(requiredSeats(n, rule)).toBe(expected);
  });
});

describe('evaluateQuorum', () => {
  it('counts delegates for their seat when the rule allows', () => {
    expect(evaluateQuorum(seats(12), att(5, 2, 5), majority)).toEqual({
      valid: true,
      seats: 12,
      counted: 7,
      present: 5,
      delegates: 2,
      required: 7,
      margin: 0,
    });
  });

  it('does not count delegates when the rule says so, and reports how many are missing', () => {
    expect(evaluateQuorum(seats(12), att(5, 2), { ...majority, delegatesCount: false })).toMatchObject({
      valid: false,
      counted: 5,
      required: 7,
      margin: -2,
    });
  });

  it('treats seats without a record as absent and reports the surplus', () => {
    expect(evaluateQuorum(seats(48), att(30, 0), majority)).toMatchObject({
      valid: true,
      counted: 30,
      margin: 5,
    });
    expect(evaluateQuorum(seats(12), [], majority)).toMatchObject({ valid: false, counted: 0, margin: -7 });
  });

  it('rejects inconsistent input', () => {
    expect(() => evaluateQuorum([], [], majority)).toThrow(/non ha seggi/);
    expect(() => evaluateQuorum(['a', 'a'], [], majority)).toThrow(/Seggi duplicati/);
    expect(() => evaluateQuorum(['a'], [{ seatId: 'b', presence: 'present' }], majority)).toThrow(
      /seggio sconosciuto: b/,
    );
    expect(() =>
      evaluateQuorum(
        ['a'],
        [
          { seatId: 'a', presence: 'present' },
          { seatId: 'a', presence: 'absent' },
        ],
        majority,
      ),
    ).toThrow(/due volte per il seggio a/);
    expect(() => evaluateQuorum(['a'], [{ seatId: 'a', presence: 'maybe' as 'present' }], majority)).toThrow(
      /Presenza non valida/,
    );
    expect(() => evaluateQuorum(['a'], [], { ...majority, numerator: 3 })).toThrow(/Quorum superiore/);
  });
});
