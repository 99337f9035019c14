/**
 * The compliance monitor of an ambito: on the first working day of each month it evaluates the pace rules
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

/** A year of monthly checks per run keeps the history small. */
const CHECKS_PER_RUN = 12;

export interface ComplianceInput {
  ambitoId: string;
  /** Stop after this instant (simulations end; production runs forever). */
  until?: string;
}

export async function complianceMonitorWorkflow(input: ComplianceInput): Promise<void> {
  let findings: ComplianceFinding[] = [];
  setHandler(complianceFindingsQuery, () => findings);
  for (let check = 0; check < CHECKS_PER_RUN; check++) {
    const result = await act.checkCompliance(input.ambitoId, new Date(Date.now()).toISOString());
    findings = result.findings;
    if (input.until && Date.parse(result.nextCheckAt) > Date.parse(input.until)) return;
    await waitUntil(result.nextCheckAt, () => false);
  }
  return continueAsNew<typeof complianceMonitorWorkflow>(input);
}
