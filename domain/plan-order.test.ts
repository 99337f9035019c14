import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './defaults';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';
import type { BodyKind } from './kinds';
import { planYear, type PlanBody } from './plan';
import { reviewOrderProblems } from './plan-order';
import { dateOf } from './time';

const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);
const body = (id: string, kind: BodyKind, rules = DEFAULT_RULES[kind]): PlanBody => ({
  id,
  kind,
  name: id,
  rules,
});
const problemsOf = (year: number, bodies: PlanBody[]) => {
  const plan = planYear(year, bodies, [], { holidays });
  return reviewOrderProblems(plan.meetings, plan.deadlines);
};
const crOn = (nth: 1 | 2) =>
  body('cr', 'comitato_ristretto', {
    ...DEFAULT_RULES.comitato_ristretto,
    cadence: { ...DEFAULT_RULES.comitato_ristretto.cadence!, nth },
  });

describe('review before the approving session is convened', () => {
  it('names the deliverable and both sessions when the Comitato Ristretto meets after the Assemblea is convened (the default rules, December 2027)', () => {
    // Second Tuesday: 14 December 2027, after the convocation of the Assemblea of Thursday the 16th; in
    // April (13th and 15th) and July (13th and 15th) the same.
    const problems = problemsOf(2027, [crOn(2), body('ads', 'assemblea_sindaci')]);
    expect(problems.map((p) => p.deliverable.kind)).toEqual([
      'report_annuale',
      'aggiornamento_semestrale',
      'piano_operativo',
    ]);
    const piano = problems.find((p) => p.deliverable.kind === 'piano_operativo');
    expect(piano!.deliverable).toEqual({ kind: 'piano_operativo', year: 2028 });
    expect(dateOf(piano!.approval.start)).toBe('2027-12-16');
    expect(dateOf(piano!.approval.convocationDeadline) < '2027-12-14').toBe(true);
    expect(piano!.review && dateOf(piano!.review.start)).toBe('2027-12-14');
  });

  it('finds no problem in any year from 2025 to 2045 when the Comitato Ristretto meets on the first Tuesday', () => {
    const bodies = [crOn(1), body('ads', 'assemblea_sindaci')];
    for (let year = 2025; year <= 2045; year++) expect(problemsOf(year, bodies), String(year)).toEqual([]);
  });

  it('reports an approval with no review meeting at all', () => {
    const problems = problemsOf(2027, [body('ads', 'assemblea_sindaci')]);
    expect(problems.map((p) => p.deliverable.kind).sort()).toEqual([
      'aggiornamento_semestrale',
      'piano_operativo',
      'report_annuale',
    ]);
    expect(problems.every((p) => p.review === null)).toBe(true);
  });
});
