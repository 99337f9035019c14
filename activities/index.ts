/**
 * Every activity the worker registers: the governance side effects (meetings, deliverables, planning) and
 * the notification activities, re-exported so workflows and operators can use them through the worker.
 */
import { createNotificationActivities } from '../notifications/activities';
import type { DeliverableActivities, MeetingActivities, PlanningActivities } from '../workflows/contracts';
import { outboxFor, type ActivityDeps } from './context';
import { createDeliverableActivities } from './deliverables';
import { createMeetingActivities } from './meetings';
import { createPlanningActivities } from './planning';

export type { ActivityDeps } from './context';

export type GovernanceActivities = MeetingActivities & DeliverableActivities & PlanningActivities;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotificationActivities({
      db: deps.prisma,
      outbox: outboxFor(deps),
      baseUrl: deps.publicBaseUrl,
      answerLinkSecret: deps.answerLinkSecret,
    }),
    ...createMeetingActivities(deps),
    ...createDeliverableActivities(deps),
    ...createPlanningActivities(deps),
  } satisfies GovernanceActivities;
}
