import { describe, expect, it } from 'vitest';
import { BodyRules } from './body-rules';
import { checkCompliance } from './compliance';
import { DEFAULT_RULES } from './defaults';
import { CREMA_LOCAL_FEASTS, HolidayCalendar } from './holidays';
import { BodyKind } from './kinds';
import { planYear, type PlanBody } from './plan';
import { dateOf } from './time';

const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);

describe('DEFAULT_RULES', () => {
  it('has valid rules for every body kind', () => {
    for (const kind of BodyKind.options)
      expect(BodyRules.parse(DEFAULT_RULES[kind])).toEqual(DEFAULT_RULES[kind]);
  });

  it('keeps the plan sound in every year 2026-2060: working days only, approvals in time, reviewed first, no findings', () => {
    const bodies: PlanBody[] = (
      ['comitato_ristretto', 'assemblea_sindaci', 'cabina_di_regia', 'assemblea_sub_ambito'] as const
    ).map((kind) => ({ id: kind, kind, name: kind, rules: DEFAULT_RULES[kind] }));
    let previous = planYear(2025, bodies, [], { holidays }).meetings;
    for (let year = 2026; year <= 2060; year++) {
      const plan = planYear(year, bodies, [], { holidays });
      for (const m of plan.meetings)
        expect(holidays.isWorkingDay(dateOf(m.start)), `${m.bodyId} ${m.start}`).toBe(true);
      expect(
        plan.meetings.filter((m) => m.bodyKind === 'comitato_ristretto'),
        String(year),
      ).toHaveLength(12);
      // Each deliverable has an approving session in time and a Comitato review before it.
      for (const d of plan.deadlines) {
        const [, review, approval] = d.stages;
        expect(approval?.meeting, `${d.label}`).toBeDefined();
        expect(review?.meeting, `${d.label}`).toBeDefined();
        expect(review!.dueDate < approval!.dueDate && approval!.dueDate <= d.dueDate, d.label).toBe(true);
      }
      const records = [
        ...previous.map((m) => ({ bodyId: m.bodyId, start: m.start, status: 'held' as const })),
        ...plan.meetings.map((m) => ({ bodyId: m.bodyId, start: m.start, status: 'planned' as const })),
      ];
      expect(
        checkCompliance(bodies, records, { year, now: `${year}-01-01T00:00:00+01:00` }),
        String(year),
      ).toEqual([]);
      previous = plan.meetings;
    }
  });
});
