/**
 * A body's meeting series: plans the next occurrence (domain cadence plus stored overrides, evaluated by an
 * activity), starts that meeting's own workflow, waits for the session to begin, then continues as new so
 * the history stays a few events long however many years the series runs.
 *
 * A rule change needs no special handling beyond waking up: the next planning reads the current rules, and
 * the occurrence already planned keeps the date its members were told.
 */
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { startOnce } from './children';
import { workflowId, type PlannedOccurrence, type PlanningActivities } from './contracts';
import { meetingWorkflow } from './meeting';
import { waitUntil } from './time';

export const rulesChangedSignal = defineSignal<[]>('rulesChanged');

export interface SeriesState {
  bodyId: string;
  current: PlannedOccurrence | null;
}

export const seriesStateQuery = defineQuery<SeriesState>('state');

const act = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface SeriesInput {
  bodyId: string;
  /** Plan the occurrence strictly after this instant (the start of the previous one). */
  after: string;
}

export async function seriesWorkflow(input: SeriesInput): Promise<void> {
  const state: SeriesState = { bodyId: input.bodyId, current: null };
  let rulesChanged = false;
  setHandler(seriesStateQuery, () => state);
  setHandler(rulesChangedSignal, () => void (rulesChanged = true));

  state.current = await act.planNextOccurrence(input.bodyId, input.after);
  if (!state.current) {
    // No cadence (planned by hand): sleep until the coordinator gives the body one, then plan from that
    // moment (never from the old `after`, which would plan an occurrence already past).
    await condition(() => rulesChanged);
    const now = new Date(Math.max(Date.parse(input.after), Date.now())).toISOString();
    return continueAsNew<typeof seriesWorkflow>({ bodyId: input.bodyId, after: now });
  }
  const { meetingId } = state.current;
  await startOnce(meetingWorkflow, workflowId.meeting(meetingId), [{ meetingId }]);
  // The next occurrence is planned once this one starts, well before its own convocation deadline.
  await waitUntil(state.current.startsAt, () => false);
  // Never from before the rules' day of this occurrence: one moved earlier (and held) would be found again
  // by its planned day, and the series would go round it for ever without planning the next.
  const { startsAt, plannedStartsAt } = state.current;
  const after =
    plannedStartsAt && Date.parse(plannedStartsAt) > Date.parse(startsAt) ? plannedStartsAt : startsAt;
  return continueAsNew<typeof seriesWorkflow>({ bodyId: input.bodyId, after });
}
