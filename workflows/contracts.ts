/**
 * What workflows, activities, the worker and the API agree on: workflow ids, signal payloads and the
 * shapes activities return. Plain JSON only (instants as ISO strings), because every value crosses
 * Temporal's payload boundary and is stored in workflow history.
 *
 * Division of labour: workflows decide *when*; activities decide *what* (they read the database and
 * evaluate the domain rules: notice in giorni liberi, working days, escalation ladder) and do every side
 * effect. So a planning activity returns the instants the workflow then sleeps until.
 */
/** Deterministic workflow ids: starting twice is idempotent and the reconciler can find what is missing. */
export const workflowId = {
  meeting: (meetingId: string) => `meeting/${meetingId}`,
  series: (bodyId: string) => `series/${bodyId}`,
  deliverable: (deliverableId: string) => `deliverable/${deliverableId}`,
  annual: (ambitoId: string, year: number) => `annual/${ambitoId}/${year}`,
  compliance: (ambitoId: string) => `compliance/${ambitoId}`,
} as const;

export const DEFAULT_TASK_QUEUE = 'governance';

// ---------------------------------------------------------------- meetings

export interface MeetingPlan {
  meetingId: string;
  bodyId: string;
  /** Same values as the database's MeetingStatus. */
  status: 'planned' | 'convened' | 'held' | 'closed' | 'cancelled';
  revision: number;
  startsAt: string;
  endsAt: string;
  /** The latest moment the convocation may leave under the body's notice rule. */
  convocationAt: string;
  /**
   * When the convener and the segreteria are asked to prepare the agenda (activities/timeline.ts); null for
   * urgent sessions. Absent from plans recorded before the agenda reminder existed.
   */
  agendaReminderAt?: string | null;
  /** Two working days before the meeting; null when that is not after the convocation. */
  reminderAt: string | null;
  minutesRequired: boolean;
  /** When the verbale is due; null when the body keeps no minutes. */
  minutesDueAt: string | null;
  /** The office asked to send the convocation now ("Invia ora"); stored, so a restarted workflow still does. */
  convocationReleased: boolean;
  /**
   * The highest agenda addendum number already stored: a rebuilt workflow numbers its next addendum after it.
   * Absent from plans recorded before it existed (those workflows count from 0, as they always did).
   */
  addenda?: number;
  /** Where the verbale stands, so a workflow restarted by the reconciler resumes at the right step. */
  minutesStatus: 'none' | 'submitted' | 'approved' | 'circulated';
}

export interface RescheduleRequest {
  startsAt: string;
  endsAt: string;
  reason?: string;
}

export interface CancelRequest {
  reason: string;
}

export interface AgendaAddendum {
  items: { title: string; description?: string }[];
}

export interface AttendanceRecord {
  entries: {
    personId: string;
    status: 'present' | 'delegate' | 'absent' | 'absent_justified';
    delegateName?: string;
    delegatePersonId?: string;
    /** ISO instant of a late arrival. */
    arrivedAt?: string;
  }[];
}

export interface AnswerNotice {
  personId: string;
  answer: 'present' | 'absent' | 'delegate';
}

export interface QuorumResult {
  present: number;
  seats: number;
  reached: boolean;
}

/** One step of a reminder/escalation ladder (domain/escalation.ts): level 0 is a reminder before the deadline. */
export interface LadderStep {
  level: number;
  at: string;
}

export interface SentSummary {
  messages: number;
}

// ---------------------------------------------------------------- deliverables

/** Same values as the database's open stages: UdP draft -> Comitato Ristretto review -> Assemblea approval. */
export type DeliverableStage = 'udp_draft' | 'cr_review' | 'ads_approval';

export interface DeliverablePlan {
  deliverableId: string;
  /** Closed deliverables (approved or waived) need no workflow. */
  closed: boolean;
  stage: DeliverableStage;
  /** Due date of the current stage (end of day, Europe/Rome). */
  dueAt: string;
  /** Reminders still to come for the current stage, earliest first. */
  reminders: { daysBefore: number; at: string }[];
  /** Escalation steps after the due date, lowest level first. */
  ladder: LadderStep[];
}

export type DeliverableEvent =
  | { type: 'submitted'; stage: DeliverableStage; by?: string }
  | { type: 'approved'; by?: string }
  | { type: 'extended'; dueAt: string; reason: string; by?: string }
  | { type: 'waived'; reason: string; by?: string };

// ---------------------------------------------------------------- series, annual cycle, compliance

export interface PlannedOccurrence {
  meetingId: string;
  startsAt: string;
  /**
   * Where the rules put this occurrence. A session moved earlier starts before it: the series plans the next
   * one after the later of the two, or it would find this one again. Absent from results recorded before.
   */
  plannedStartsAt?: string;
}

export interface ComplianceFinding {
  bodyId: string;
  rule: 'every_calendar_month' | 'min_per_year' | 'max_gap';
  severity: 'warning' | 'breach';
  /** Stable period key (e.g. 2027-03) so a finding is reported once. */
  period: string;
  message: string;
}

/** A later due date for a meeting's verbale, granted by the coordinator with a reason. */
export interface MinutesExtension {
  /** The end of the new due day (ISO instant with offset). */
  dueAt: string;
  reason: string;
  by?: string;
}

// ---------------------------------------------------------------- activity interfaces

/** Side effects of a meeting's life. Every sending activity is idempotent on its outbox keys. */
export interface MeetingActivities {
  planMeeting(meetingId: string): Promise<MeetingPlan>;
  /**
   * Keys `agenda-reminder:<meeting>:<person>:<revision>` to the convener and the segreteria; sends nothing
   * once the convocation is released or sent, the meeting cancelled, or the revision superseded.
   */
  sendAgendaReminder(meetingId: string, revision: number): Promise<SentSummary>;
  /** Keys `convocation:<meeting>:<person>:<revision>`; marks the meeting convened. */
  sendConvocations(meetingId: string, revision: number): Promise<SentSummary>;
  /** Persists the new times with revision+1 and returns the new plan (no mail). */
  rescheduleMeeting(meetingId: string, toRevision: number, change: RescheduleRequest): Promise<MeetingPlan>;
  /** Keys `reschedule:<meeting>:<person>:<revision>` to everyone convened. */
  sendRescheduleNotices(meetingId: string, revision: number): Promise<SentSummary>;
  /** Keys `reminder:<meeting>:<person>:<revision>`, only to those who have not answered. */
  sendReminders(meetingId: string, revision: number): Promise<SentSummary>;
  /** Marks the meeting cancelled; when it was convened, keys `cancellation:<meeting>:<person>:<revision>`. */
  cancelMeeting(
    meetingId: string,
    revision: number,
    request: CancelRequest,
    notify: boolean,
  ): Promise<SentSummary>;
  /** Appends items; when `notify`, keys `addendum:<meeting>:<person>:<addendumNo>`. */
  addAgendaItems(
    meetingId: string,
    addendumNo: number,
    addendum: AgendaAddendum,
    notify: boolean,
  ): Promise<SentSummary>;
  /** Records a change the rules refused (e.g. an addendum within 24 hours), for the coordinator to see. */
  rejectChange(meetingId: string, change: unknown, reason: string): Promise<void>;
  recordAttendance(meetingId: string, record: AttendanceRecord): Promise<QuorumResult>;
  markMeetingHeld(meetingId: string): Promise<void>;
  /**
   * Moves the verbale's due date later (audited); refuses, audited, a date that is not an instant after
   * the current one or a missing reason.
   */
  extendMinutesDeadline(meetingId: string, extension: MinutesExtension): Promise<void>;
  /** Ladder of the minutes deadline (domain escalation rules), from the verbale's current due date. */
  minutesLadder(meetingId: string): Promise<LadderStep[]>;
  /** Key `minutes-request:<meeting>`. */
  requestMinutes(meetingId: string): Promise<SentSummary>;
  /** The step at `at`: a reminder (level 0) or an escalation; key `minutes-step:<meeting>:<at>:<person>`. */
  escalateMinutes(meetingId: string, step: LadderStep): Promise<SentSummary>;
  /** Members, and for the Comitato Ristretto the lead comuni: keys `minutes:<meeting>:<person>`. */
  circulateMinutes(meetingId: string): Promise<SentSummary>;
}

export interface DeliverableActivities {
  planDeliverable(deliverableId: string): Promise<DeliverablePlan>;
  /** Persists the event (stage, due date, status, history, audit) and returns the new plan. */
  applyDeliverableEvent(deliverableId: string, event: DeliverableEvent): Promise<DeliverablePlan>;
  /** Key `deliverable-reminder:<id>:<stage>:<dueDate>:<daysBefore>:<person>`. */
  remindDeliverable(
    deliverableId: string,
    stage: DeliverableStage,
    dueAt: string,
    daysBefore: number,
  ): Promise<SentSummary>;
  /** Key `escalation:<id>:<stage>:<dueDate>:<level>:<person>`; at the Comitato Ristretto level also an agenda item. */
  escalateDeliverable(
    deliverableId: string,
    stage: DeliverableStage,
    dueAt: string,
    level: number,
  ): Promise<SentSummary>;
}

export interface PlanningActivities {
  /** Creates (idempotently) the body's next meeting strictly after `after`, from rules and overrides. */
  planNextOccurrence(bodyId: string, after: string): Promise<PlannedOccurrence | null>;
  /** Creates the year's deliverables (idempotently) and returns their ids. */
  ensureYearDeliverables(ambitoId: string, year: number): Promise<string[]>;
  /** Bodies of the ambito whose rules carry a cadence. */
  bodiesWithSeries(ambitoId: string): Promise<string[]>;
  /** When the monitor looks first after `after` (a working day, at the office's send hour). */
  nextComplianceCheck(after: string): Promise<string>;
  /**
   * Evaluates the compliance rules at `at`, reports new findings once (idempotent), says when to look
   * again. Periods that ended before `since` (when monitoring began) are not judged.
   */
  checkCompliance(
    ambitoId: string,
    at: string,
    since: string,
  ): Promise<{ findings: ComplianceFinding[]; nextCheckAt: string }>;
}
