/**
 * A workflow that exercises the domain inside Temporal's workflow sandbox (see ../sandbox.test.ts): it throws
 * when a result differs from what the test computed in plain Node, which fails the replay.
 */
import {
  checkCompliance,
  CREMA_LOCAL_FEASTS,
  DEFAULT_RULES,
  escalationSteps,
  HolidayCalendar,
  planYear,
  type PlanBody,
} from '../index';

export function domainProbe(): string {
  const holidays = new HolidayCalendar(CREMA_LOCAL_FEASTS);
  const bodies: PlanBody[] = (['comitato_ristretto', 'cabina_di_regia', 'assemblea_sindaci'] as const).map(
    (kind) => ({
      id: kind,
      kind,
      name: kind,
      rules: DEFAULT_RULES[kind],
    }),
  );
  const plan = planYear(2027, bodies, [], { holidays });
  const findings = checkCompliance(
    bodies,
    plan.meetings.map((m) => ({ bodyId: m.bodyId, start: m.start, status: 'planned' as const })),
    { year: 2027, now: '2027-01-01T00:00:00+01:00' },
  );
  return JSON.stringify({
    starts: plan.meetings.map((m) => m.start),
    deadlines: plan.meetings.map((m) => m.convocationDeadline),
    approves: plan.meetings.flatMap((m) => m.approves),
    findings,
    steps: escalationSteps('2027-12-31', { holidays }).map((s) => s.at),
  });
}

export async function domainProbeWorkflow(expected: string): Promise<string> {
  const actual = domainProbe();
  if (actual !== expected) throw new Error(`Sandbox result differs:\n${actual}\n!==\n${expected}`);
  return actual;
}
