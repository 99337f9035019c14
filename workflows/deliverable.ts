/**
 * One deliverable (Piano Operativo, Report annuale, semestral update) through its stages:
 * UdP draft -> Comitato Ristretto review -> Assemblea approval. Before each stage's due date the owner is
 * reminded (30, 14, 7 and 1 days before); after it the escalation ladder climbs until the stage moves on.
 * Every event (submitted, approved, extended, waived) is persisted by an activity, which returns the new
 * plan: the workflow then simply follows the new dates.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DeliverableActivities, DeliverableEvent, DeliverablePlan, DeliverableStage } from './contracts';
import { isRejection } from './rejection';
import { msUntil, waitUntil } from './time';

export const deliverableSubmittedSignal =
  defineSignal<[{ stage: DeliverableStage; by?: string }]>('submitted');
export const deliverableApprovedSignal = defineSignal<[{ by?: string }]>('approved');
export const deadlineExtendedSignal =
  defineSignal<[{ dueAt: string; reason: string; by?: string }]>('extended');
export const deliverableWaivedSignal = defineSignal<[{ reason: string; by?: string }]>('waived');

export interface DeliverableState {
  /** Null only while the workflow starts. */
  plan: DeliverablePlan | null;
  remindersSent: number;
  escalationLevel: number;
}

export const deliverableStateQuery = defineQuery<DeliverableState>('state');

const act = proxyActivities<DeliverableActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export async function deliverableWorkflow(input: { deliverableId: string }): Promise<DeliverableState> {
  const { deliverableId } = input;
  const events: DeliverableEvent[] = [];
  // Handlers first: a query or signal may arrive before the first activity returns.
  const state: DeliverableState = { plan: null, remindersSent: 0, escalationLevel: 0 };
  setHandler(deliverableStateQuery, () => state);
  setHandler(deliverableSubmittedSignal, (e) => void events.push({ type: 'submitted', ...e }));
  setHandler(deliverableApprovedSignal, (e) => void events.push({ type: 'approved', ...e }));
  setHandler(deadlineExtendedSignal, (e) => void events.push({ type: 'extended', ...e }));
  setHandler(deliverableWaivedSignal, (e) => void events.push({ type: 'waived', ...e }));
  let plan = (state.plan = await act.planDeliverable(deliverableId));

  while (!plan.closed) {
    const { stage, dueAt } = plan;
    const reminder = plan.reminders.find((r) => msUntil(r.at) > 0);
    const step = plan.ladder.find((s) => s.level > state.escalationLevel);
    const next = reminder?.at ?? (msUntil(dueAt) > 0 ? dueAt : step?.at);

    const woken = next
      ? await waitUntil(next, () => events.length > 0)
      : (await condition(() => events.length > 0), true);
    if (woken) {
      for (let event = events.shift(); event; event = events.shift()) {
        const before = plan;
        try {
          plan = state.plan = await act.applyDeliverableEvent(deliverableId, event);
        } catch (err) {
          if (isRejection(err)) continue; // refused and recorded in the deliverable's history
          throw err;
        }
        // A new stage or a new due date is a new deadline: reminders and ladder start over.
        if (plan.stage !== before.stage || plan.dueAt !== before.dueAt) state.escalationLevel = 0;
      }
      continue;
    }
    if (reminder && next === reminder.at) {
      await act.remindDeliverable(deliverableId, stage, dueAt, reminder.daysBefore);
      state.remindersSent++;
      plan = state.plan = { ...plan, reminders: plan.reminders.filter((r) => r !== reminder) };
    } else if (step && next === step.at) {
      await act.escalateDeliverable(deliverableId, stage, dueAt, step.level);
      state.escalationLevel = step.level;
    }
  }
  return state;
}
