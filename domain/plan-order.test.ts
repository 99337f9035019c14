import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './defaults';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';
import type { BodyKind } from './kinds';
import { planYear, type PlanBody } from './plan';
import { reviewOrderProblems, rulesOrderProblems } from './plan-order';
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
const crOnSecondTuesday = body('cr', 'comitato_ristretto', {
  ...DEFAULT_RULES.comitato_ristretto,
  cadence: { ...DEFAULT_RULES.comitato_ristretto.cadence!, nth: 2 },
});

describe('review before the approving session is convened', () => {
  it('names the deliverable and both sessions when the Comitato Ristretto meets after the Assemblea is convened (second Tuesday, the former default, December 2027)', () => {
    // Second Tuesday: 14 December 2027, after the convocation of the Assemblea of Thursday the 16th; in
    // April (13th and 15th) and July (13th and 15th) the same.
    const problems = problemsOf(2027, [crOnSecondTuesday, body('ads', 'assemblea_sindaci')]);
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

  it('finds no problem in any year from 2025 to 2045 with the default rules, each approval reviewed that month', () => {
    const bodies = [body('cr', 'comitato_ristretto'), body('ads', 'assemblea_sindaci')];
    for (let year = 2025; year <= 2045; year++) {
      const plan = planYear(year, bodies, [], { holidays });
      expect(reviewOrderProblems(plan.meetings, plan.deadlines), String(year)).toEqual([]);
      // Not an old review: the Comitato Ristretto of the Assemblea's own month.
      for (const deadline of plan.deadlines) {
        const [review, approval] = ['review', 'approval'].map(
          (stage) => deadline.stages.find((s) => s.stage === stage)?.meeting?.start,
        );
        expect(review && approval && review.slice(0, 7), `${deadline.label}`).toBe(approval!.slice(0, 7));
      }
    }
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

  it('warns a body of the problems its rules give with the other bodies, over the years asked, and no other body', () => {
    const bodies = [crOnSecondTuesday, body('ads', 'assemblea_sindaci'), body('cdr', 'cabina_di_regia')];
    const forCr = rulesOrderProblems(bodies, [2026, 2027], { holidays }, 'cr');
    // 2026: April and July (CR 14th, Assemblea 16th); 2027: April, July and December.
    expect(
      forCr.map((p) => `${p.deliverable.kind} ${p.deliverable.year} ${dateOf(p.approval.start)}`),
    ).toEqual([
      'report_annuale 2025 2026-04-16',
      'aggiornamento_semestrale 2026 2026-07-16',
      'report_annuale 2026 2027-04-15',
      'aggiornamento_semestrale 2027 2027-07-15',
      'piano_operativo 2028 2027-12-16',
    ]);
    expect(rulesOrderProblems(bodies, [2026, 2027], { holidays }, 'ads')).toEqual(forCr);
    expect(rulesOrderProblems(bodies, [2026, 2027], { holidays }, 'cdr')).toEqual([]);
    const defaults = [body('cr', 'comitato_ristretto'), body('ads', 'assemblea_sindaci')];
    expect(rulesOrderProblems(defaults, [2026, 2027, 2028], { holidays }, 'cr')).toEqual([]);
  });
});
