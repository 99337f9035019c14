/**
 * An ambito's year: on 1 January it creates the year's deliverables (Piano Operativo for Y+1, Report
 * annuale for Y-1, semestral update) with their workflows, makes sure every body with a cadence has its
 * series running, and at the end of the year hands over to the next year's cycle.
 */
import { proxyActivities } from '@temporalio/workflow';
import { startOnce } from './children';
import { workflowId, type PlanningActivities } from './contracts';
import { deliverableWorkflow } from './deliverable';
import { seriesWorkflow } from './series';
import { waitUntil } from './time';

const act = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface AnnualInput {
  ambitoId: string;
  year: number;
  /** Where new series start planning from; the 1st of January (Europe/Rome) of the year when absent. */
  seriesFrom?: string;
  /** Stop instead of starting the next year (simulations end; production runs forever). */
  lastYear?: number;
}

export async function annualCycleWorkflow(input: AnnualInput): Promise<{ deliverables: number }> {
  const { ambitoId, year } = input;
  const deliverables = await act.ensureYearDeliverables(ambitoId, year);
  for (const deliverableId of deliverables) {
    await startOnce(deliverableWorkflow, workflowId.deliverable(deliverableId), [{ deliverableId }]);
  }
  const after = input.seriesFrom ?? newYearInRome(year);
  for (const bodyId of await act.bodiesWithSeries(ambitoId)) {
    await startOnce(seriesWorkflow, workflowId.series(bodyId), [{ bodyId, after }]);
  }
  if (input.lastYear === undefined || year < input.lastYear) {
    await waitUntil(newYearInRome(year + 1), () => false);
    const next: AnnualInput = { ambitoId, year: year + 1, lastYear: input.lastYear };
    await startOnce(annualCycleWorkflow, workflowId.annual(ambitoId, year + 1), [next]);
  }
  return { deliverables: deliverables.length };
}

/**
 * Midnight of 1 January in Europe/Rome is 23:00 UTC of 31 December: Rome is on winter time (+01:00) then,
 * every year, so no time-zone library is needed here.
 */
function newYearInRome(year: number): string {
  return `${year}-01-01T00:00:00+01:00`;
}
