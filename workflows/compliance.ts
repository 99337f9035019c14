/**
 * The compliance monitor of an ambito: twice a month, on a working day, it evaluates the pace rules
 * (a Comitato Ristretto meeting every month, at least 4 a year per sub-ambito, no Cabina di Regia gap over
 * 4 months). The activity warns the convener ahead of a breach and reports breaches, each finding once
 * (its outbox keys carry the rule and the period).
 */
import { continueAsNew, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ComplianceFinding, PlanningActivities } from './contracts';
import { waitUntil } from './time';

const act = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const complianceFindingsQuery = defineQuery<ComplianceFinding[]>('findings');

/** A year of checks (twice a month) per run keeps the history small. */
const CHECKS_PER_RUN = 24;

export interface ComplianceInput {
  ambitoId: string;
  /** Stop after this instant (simulations end; production runs forever). */
  until?: string;
  /** When monitoring began: earlier periods are not judged (no breach for before the service existed). */
  since?: string;
  /** The next check, carried across continue-as-new. */
  nextCheckAt?: string;
}

export async function complianceMonitorWorkflow(input: ComplianceInput): Promise<void> {
  let findings: ComplianceFinding[] = [];
  setHandler(complianceFindingsQuery, () => findings);
  const now = () => new Date(Date.now()).toISOString();
  const since = input.since ?? now();
  let next = input.nextCheckAt ?? (await act.nextComplianceCheck(now()));
  for (let check = 0; check < CHECKS_PER_RUN; check++) {
    if (input.until && Date.parse(next) > Date.parse(input.until)) return;
    await waitUntil(next, () => false);
    const result = await act.checkCompliance(input.ambitoId, next, since);
    findings = result.findings;
    next = result.nextCheckAt;
  }
  return continueAsNew<typeof complianceMonitorWorkflow>({ ...input, since, nextCheckAt: next });
}
