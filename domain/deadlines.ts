/**
 * Deadlines of the annual deliverables and of their stages.
 *
 * 2018 Accordo di Programma, Art.16 (000:L907-921): the Piano Operativo for Y+1 is approved "entro il mese di
 * dicembre" of Y, the Report annuale for Y-1 "entro il mese di aprile" of Y, and a semestral update is
 * "possibile e opportuno". "Entro il mese di X" = the last day of X (governance.md §2).
 *
 * Stages: draft (Ufficio di Piano) -> review (Comitato Ristretto) -> approval (Assemblea dei Sindaci). When the
 * meetings are known, the stage deadlines are tied to them: approval at the last Assemblea session of the due
 * year on or before the due date; review at the last Comitato Ristretto meeting before that session; the draft
 * due when that meeting's convocation leaves, so it can go out with the agenda. Without such meetings, fixed
 * offsets counted back from the due date apply.
 */
import type { BodyKind, DeliverableKind } from './kinds';
import { addDays, dateOf, endOfDay, endOfMonth, instantMs, type CivilDate, type Instant } from './time';

export interface DeliverableRule {
  kind: DeliverableKind;
  /** Due on the last day of this month of the due year. */
  dueMonth: number;
  /** The year the deliverable covers, relative to the due year: Piano Operativo +1, Report annuale -1. */
  periodOffset: number;
  /** Recommended but not mandatory: a miss is a warning, not a breach. */
  optional: boolean;
  approverKind: BodyKind;
  reviewerKind: BodyKind;
  source: string;
}

export const DEFAULT_DELIVERABLE_RULES: readonly DeliverableRule[] = [
  {
    kind: 'report_annuale',
    dueMonth: 4,
    periodOffset: -1,
    optional: false,
    approverKind: 'assemblea_sindaci',
    reviewerKind: 'comitato_ristretto',
    source: '000:L915-919',
  },
  {
    // ASSUMPTION: the seeds give no date or recipient; due by 31 July (six months after the Report, seven
    // before the Piano), presented to the July Assemblea after the Comitato Ristretto.
    kind: 'aggiornamento_semestrale',
    dueMonth: 7,
    periodOffset: 0,
    optional: true,
    approverKind: 'assemblea_sindaci',
    reviewerKind: 'comitato_ristretto',
    source: '000:L919-921 (data: ASSUMPTION)',
  },
  {
    kind: 'piano_operativo',
    dueMonth: 12,
    periodOffset: 1,
    optional: false,
    approverKind: 'assemblea_sindaci',
    reviewerKind: 'comitato_ristretto',
    source: '000:L907-909',
  },
];

const LABELS: Record<DeliverableKind, string> = {
  piano_operativo: 'Piano Operativo',
  report_annuale: 'Report annuale',
  aggiornamento_semestrale: 'Aggiornamento semestrale',
};

export interface DeliverableRef {
  kind: DeliverableKind;
  /** The year the deliverable covers (Report annuale 2026 is due in April 2027). */
  year: number;
}

export interface DeliverableDeadline extends DeliverableRef {
  /** Italian label, e.g. "Piano Operativo 2028". */
  label: string;
  dueDate: CivilDate;
  /** The end of the due day in Europe/Rome (23:59:59). */
  dueAt: Instant;
  optional: boolean;
  approverKind: BodyKind;
  reviewerKind: BodyKind;
}

/** The deliverables due in `year`, sorted by due date. */
export function deliverableDeadlines(
  year: number,
  rules: readonly DeliverableRule[] = DEFAULT_DELIVERABLE_RULES,
): DeliverableDeadline[] {
  if (!Number.isInteger(year)) throw new RangeError(`Anno non valido: ${year}`);
  return rules
    .map((rule) => {
      const dueDate = endOfMonth(year, rule.dueMonth);
      const period = year + rule.periodOffset;
      return {
        kind: rule.kind,
        year: period,
        label: `${LABELS[rule.kind]} ${period}`,
        dueDate,
        dueAt: endOfDay(dueDate),
        optional: rule.optional,
        approverKind: rule.approverKind,
        reviewerKind: rule.reviewerKind,
      };
    })
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** The least a stage computation needs to know about a meeting. */
export interface MeetingRef {
  bodyId: string;
  bodyKind: BodyKind;
  start: Instant;
  /** When its convocation leaves at the latest; the draft is due then. */
  convocationDeadline: Instant;
}

/**
 * The session that approves a deliverable: the last meeting of the approving kind on or before the due date
 * and in the due year (a session of the year before cannot approve a report on a year not yet ended).
 */
export function approvingSession<M extends MeetingRef>(
  deadline: DeliverableDeadline,
  meetings: readonly M[],
): M | undefined {
  const firstDay = `${deadline.dueDate.slice(0, 4)}-01-01`;
  return latest(
    meetings.filter((m) => {
      const day = dateOf(m.start);
      return m.bodyKind === deadline.approverKind && day >= firstDay && day <= deadline.dueDate;
    }),
  );
}

export interface StageOffsets {
  /** Used when no approving session is planned: approval due this many days before the due date. */
  approvalDaysBeforeDue: number;
  /** Used when no reviewing meeting precedes the approval: review due this many days before it. */
  reviewDaysBeforeApproval: number;
  /** Used when the review is not tied to a meeting: draft due this many days before the review. */
  draftDaysBeforeReview: number;
  /** A reviewing meeting older than this many days before the approval is too early to count. */
  reviewWindowDays: number;
}

/** ASSUMPTION: fallback offsets; a review at most 60 days before the approval. */
export const DEFAULT_STAGE_OFFSETS: StageOffsets = {
  approvalDaysBeforeDue: 0,
  reviewDaysBeforeApproval: 14,
  draftDaysBeforeReview: 7,
  reviewWindowDays: 60,
};

export type Stage = 'draft' | 'review' | 'approval';

export interface StageDeadline {
  stage: Stage;
  /** Who must complete the stage: the Ufficio di Piano drafts, then the bodies act. */
  by: 'udp' | BodyKind;
  dueDate: CivilDate;
  /** The meeting the stage is tied to, when there is one. */
  meeting?: { bodyId: string; start: Instant };
}

/** Draft, review and approval deadlines of a deliverable, in that order. */
export function stageDeadlines(
  deadline: DeliverableDeadline,
  meetings: readonly MeetingRef[],
  offsets: StageOffsets = DEFAULT_STAGE_OFFSETS,
): StageDeadline[] {
  const session = approvingSession(deadline, meetings);
  const approvalDate = session
    ? dateOf(session.start)
    : addDays(deadline.dueDate, -offsets.approvalDaysBeforeDue);
  const windowStart = addDays(approvalDate, -offsets.reviewWindowDays);
  const review = latest(
    meetings.filter((m) => {
      const day = dateOf(m.start);
      return m.bodyKind === deadline.reviewerKind && day < approvalDate && day >= windowStart;
    }),
  );
  const reviewDate = review ? dateOf(review.start) : addDays(approvalDate, -offsets.reviewDaysBeforeApproval);
  const draftDate = review
    ? dateOf(review.convocationDeadline)
    : addDays(reviewDate, -offsets.draftDaysBeforeReview);
  return [
    { stage: 'draft', by: 'udp', dueDate: draftDate },
    { stage: 'review', by: deadline.reviewerKind, dueDate: reviewDate, ...ref(review) },
    { stage: 'approval', by: deadline.approverKind, dueDate: approvalDate, ...ref(session) },
  ];
}

function ref(m: MeetingRef | undefined): { meeting?: { bodyId: string; start: Instant } } {
  return m ? { meeting: { bodyId: m.bodyId, start: m.start } } : {};
}

function latest<M extends MeetingRef>(meetings: readonly M[]): M | undefined {
  let best: M | undefined;
  for (const m of meetings) if (!best || instantMs(m.start) > instantMs(best.start)) best = m;
  return best;
}
