/**
 * A plan problem the calendar must show where it is: a deliverable whose approving session (the Assemblea)
 * sends its convocation, with the documents, before the reviewing body (the Comitato Ristretto) has met, so
 * the mayors would be convened on a text nobody has reviewed. Pure: it reads a planned year (domain/plan.ts).
 */
import type { DeliverableRef } from './deadlines';
import { planYear, type PlanBody, type PlanOptions, type PlannedDeadline, type PlannedMeeting } from './plan';
import { instantMs, type Instant } from './time';

export interface ReviewOrderProblem {
  deliverable: DeliverableRef;
  /** The approving session and when its convocation leaves at the latest. */
  approval: { bodyId: string; start: Instant; convocationDeadline: Instant };
  /** The reviewing meeting the plan ties to the deliverable, or null when none precedes the approval. */
  review: { bodyId: string; start: Instant } | null;
}

type MeetingLike = Pick<PlannedMeeting, 'bodyId' | 'start' | 'convocationDeadline'>;
type DeadlineLike = Pick<PlannedDeadline, 'kind' | 'year' | 'stages'>;

/**
 * Every deliverable whose approving session is convened before its review meeting has taken place (or with
 * no review meeting at all). Deliverables with no approving session planned are not this check's business.
 */
export function reviewOrderProblems(
  meetings: readonly MeetingLike[],
  deadlines: readonly DeadlineLike[],
): ReviewOrderProblem[] {
  const problems: ReviewOrderProblem[] = [];
  for (const deadline of deadlines) {
    const approvalStage = deadline.stages.find((s) => s.stage === 'approval');
    const reviewStage = deadline.stages.find((s) => s.stage === 'review');
    const session = approvalStage?.meeting;
    if (!session) continue;
    const approval = meetings.find((m) => m.bodyId === session.bodyId && m.start === session.start);
    if (!approval) continue;
    const review = reviewStage?.meeting ?? null;
    if (review && instantMs(review.start) < instantMs(approval.convocationDeadline)) continue;
    problems.push({
      deliverable: { kind: deadline.kind, year: deadline.year },
      approval: {
        bodyId: approval.bodyId,
        start: approval.start,
        convocationDeadline: approval.convocationDeadline,
      },
      review,
    });
  }
  return problems;
}

/**
 * The problems the rules alone give in each of `years` (no occurrence moved or cancelled), keeping those that
 * concern `bodyId`: it holds the approving session or the review, or it is of the kind that should review or
 * approve the deliverable. What the coordinator must be warned of before saving a body's rules.
 */
export function rulesOrderProblems(
  bodies: readonly PlanBody[],
  years: readonly number[],
  options: PlanOptions,
  bodyId: string,
): ReviewOrderProblem[] {
  const kind = bodies.find((b) => b.id === bodyId)?.kind;
  return years.flatMap((year) => {
    const plan = planYear(year, bodies, [], options);
    return reviewOrderProblems(plan.meetings, plan.deadlines).filter((p) => {
      const deadline = plan.deadlines.find(
        (d) => d.kind === p.deliverable.kind && d.year === p.deliverable.year,
      );
      return (
        p.approval.bodyId === bodyId ||
        p.review?.bodyId === bodyId ||
        kind === deadline?.reviewerKind ||
        kind === deadline?.approverKind
      );
    });
  });
}
