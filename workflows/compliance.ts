/**
 * The compliance monitor of an ambito: once a week it evaluates the pace rules (a Comitato Ristretto
 * meeting every month, at least 4 a year per sub-ambito, no Cabina di Regia gap over 4 months). The
 * activity warns the convener ahead of a breach and reports breaches, each finding once (outbox keys
 * carry the rule and the period), so the weekly rhythm only decides how early a problem is seen.
 */
import { continueAsNew, defineQuery, proxyActivities, sleep } from '@temporalio/workflow';
import { setHandler } from '@temporalio/workflow';
import type { ComplianceFinding, PlanningActivities } from './contracts';

const act = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const complianceFindingsQuery = defineQuery<ComplianceFinding[]>('findings');

/** A year of weekly checks per run keeps the history small. */
const CHECKS_PER_RUN = 52;

export interface ComplianceInput {
  ambitoId: string;
  /** Stop after this instant (simulations end; production runs forever). */
  until?: string;
}

export async function complianceMonitorWorkflow(input: ComplianceInput): Promise<void> {
  let findings: ComplianceFinding[] = [];
  setHandler(complianceFindingsQuery, () => findings);
  for (let check = 0; check < CHECKS_PER_RUN; check++) {
    if (input.until && Date.now() > Date.parse(input.until)) return;
    findings = await act.checkCompliance(input.ambitoId, new Date(Date.now()).toISOString());
    await sleep('7 days');
  }
  return continueAsNew<typeof complianceMonitorWorkflow>(input);
}
