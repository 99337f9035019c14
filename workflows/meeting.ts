/**
 * The life of one meeting: agenda e-mail -> convocation -> reminder -> session -> minutes -> circulation.
 *
 * People act through the signals declared here; the workflow decides when things happen and delegates
 * every side effect (database, outbox) to activities. Changes that arrive while the workflow waits are
 * queued and handled in order, so a reschedule followed by a cancel behaves as it was asked.
 */
import {
  condition,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type {
  AgendaAddendum,
  AnswerNotice,
  AttendanceRecord,
  CancelRequest,
  MeetingActivities,
  MeetingPlan,
  MinutesExtension,
  QuorumResult,
  RescheduleRequest,
} from './contracts';
import { isRejection } from './rejection';
import { msUntil, waitUntil } from './time';

export const releaseConvocationSignal = defineSignal<[]>('releaseConvocation');
export const rescheduleSignal = defineSignal<[RescheduleRequest]>('reschedule');
export const cancelSignal = defineSignal<[CancelRequest]>('cancel');
export const agendaAddendumSignal = defineSignal<[AgendaAddendum]>('agendaAddendum');
export const answerSignal = defineSignal<[AnswerNotice]>('answer');
export const attendanceSignal = defineSignal<[AttendanceRecord]>('attendance');
export const minutesSubmittedSignal = defineSignal<[]>('minutesSubmitted');
export const minutesApprovedSignal = defineSignal<[]>('minutesApproved');
export const minutesDeadlineExtendedSignal = defineSignal<[MinutesExtension]>('minutesDeadlineExtended');

export type MeetingPhase =
  | 'starting'
  | 'awaiting-convocation'
  | 'convened'
  | 'in-session'
  | 'awaiting-minutes'
  | 'awaiting-minutes-approval'
  | 'closed'
  | 'cancelled';

export interface MeetingState {
  phase: MeetingPhase;
  /** Null only while the workflow starts. */
  plan: MeetingPlan | null;
  answers: number;
  quorum: QuorumResult | null;
  minutesEscalationLevel: number;
  /** Changes refused by the rules (audited with the reason), e.g. an addendum within 24 hours. */
  rejectedChanges: number;
}

export const meetingStateQuery = defineQuery<MeetingState>('state');

/** The 24-hour rule: an agenda addendum must reach members at least this long before the session. */
const ADDENDUM_NOTICE_MS = 24 * 60 * 60 * 1000;

const act = proxyActivities<MeetingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export type Change =
  | { kind: 'reschedule'; request: RescheduleRequest }
  | { kind: 'cancel'; request: CancelRequest }
  | { kind: 'addendum'; addendum: AgendaAddendum };

export async function meetingWorkflow(input: { meetingId: string }): Promise<MeetingState> {
  const { meetingId } = input;
  // Handlers first: a query or a signal may arrive before the first activity returns.
  const state: MeetingState = {
    phase: 'starting',
    plan: null,
    answers: 0,
    quorum: null,
    minutesEscalationLevel: 0,
    rejectedChanges: 0,
  };
  const changes: Change[] = [];
  const attendance: AttendanceRecord[] = [];
  const extensions: MinutesExtension[] = [];
  let released = false;
  let addenda = 0;
  let minutesSubmitted = false;
  let minutesApproved = false;

  setHandler(meetingStateQuery, () => state);
  setHandler(releaseConvocationSignal, () => void (released = true));
  setHandler(rescheduleSignal, (request) => void changes.push({ kind: 'reschedule', request }));
  setHandler(cancelSignal, (request) => void changes.push({ kind: 'cancel', request }));
  setHandler(agendaAddendumSignal, (addendum) => void changes.push({ kind: 'addendum', addendum }));
  setHandler(answerSignal, () => void state.answers++);
  setHandler(attendanceSignal, (record) => void attendance.push(record));
  setHandler(minutesSubmittedSignal, () => void (minutesSubmitted = true));
  setHandler(minutesApprovedSignal, () => {
    minutesSubmitted = true;
    minutesApproved = true;
  });
  setHandler(minutesDeadlineExtendedSignal, (extension) => void extensions.push(extension));

  const initial = await act.planMeeting(meetingId);
  /** The current plan; every change replaces it (and the copy the query shows). */
  let plan = (state.plan = initial);
  if (initial.convocationReleased) released = true;
  // Numbering goes on from the addenda stored, so a workflow rebuilt from the database reuses none.
  addenda = initial.addenda ?? 0;
  state.phase = initial.status === 'cancelled' ? 'cancelled' : 'awaiting-convocation';
  if (initial.minutesStatus !== 'none') minutesSubmitted = true;
  if (initial.minutesStatus === 'approved' || initial.minutesStatus === 'circulated') minutesApproved = true;

  const convened = () => state.phase === 'convened';

  /** Applies queued changes in arrival order; returns true when the meeting got cancelled. */
  async function applyChanges(): Promise<boolean> {
    for (let change = changes.shift(); change; change = changes.shift()) {
      try {
        if (await applyChange(change)) return true;
      } catch (err) {
        if (!isRejection(err)) throw err;
        state.rejectedChanges++;
      }
    }
    return false;
  }

  /** One change; true when it cancelled the meeting. Refused changes throw a rejection (audited). */
  async function applyChange(change: Change): Promise<boolean> {
    if (change.kind === 'cancel') {
      await act.cancelMeeting(meetingId, plan.revision, change.request, convened());
      state.phase = 'cancelled';
      return true;
    }
    if (change.kind === 'reschedule') {
      plan = state.plan = await act.rescheduleMeeting(meetingId, plan.revision + 1, change.request);
      if (convened()) await act.sendRescheduleNotices(meetingId, plan.revision);
      return false;
    }
    if (convened() && msUntil(plan.startsAt) < ADDENDUM_NOTICE_MS) {
      await act.rejectChange(
        meetingId,
        change,
        'integrazione dell’ordine del giorno a meno di 24 ore dalla seduta',
      );
      state.rejectedChanges++;
      return false;
    }
    await act.addAgendaItems(meetingId, addenda + 1, change.addendum, convened());
    addenda++;
    return false;
  }

  async function applyAttendance(): Promise<void> {
    for (let record = attendance.shift(); record; record = attendance.shift()) {
      state.quorum = await act.recordAttendance(meetingId, record);
    }
  }

  /** Applies queued extensions of the minutes deadline; true when the due date moved. */
  async function applyExtensions(): Promise<boolean> {
    let moved = false;
    for (let extension = extensions.shift(); extension; extension = extensions.shift()) {
      try {
        await act.extendMinutesDeadline(meetingId, extension);
        moved = true;
      } catch (err) {
        if (!isRejection(err)) throw err;
        state.rejectedChanges++;
      }
    }
    return moved;
  }

  /** Waits until `at`, or until a change arrives (then applies it): tells the caller which happened. */
  async function waitOrChange(at: string, early = () => false): Promise<'due' | 'changed' | 'cancelled'> {
    await waitUntil(at, () => changes.length > 0 || early());
    if (changes.length === 0) return 'due';
    return (await applyChanges()) ? 'cancelled' : 'changed';
  }

  /** The reminder belongs to a revision: a reschedule re-arms it for the new date. */
  const armReminder = () => {
    const { reminderAt, revision } = plan;
    return reminderAt !== null && msUntil(reminderAt) > 0 ? { at: reminderAt, revision } : null;
  };
  /** Likewise the agenda e-mail; none when its moment has passed (the deadline is closer than that). */
  const armAgendaReminder = () => {
    const { agendaReminderAt, revision } = plan;
    return agendaReminderAt && msUntil(agendaReminderAt) > 0 ? { at: agendaReminderAt, revision } : null;
  };

  if (state.phase === 'cancelled') return state;
  if (initial.status === 'closed') {
    state.phase = 'closed';
    return state;
  }

  // 1. Convocation: at the latest moment the notice rule allows, or earlier if the coordinator releases it.
  //    A few working days before, the convener and the segreteria are asked to prepare the agenda, unless
  //    the convocation has left already. Workflows begun before that e-mail existed replay without it.
  if (initial.status === 'planned') {
    const agendaReminders = !released && patched('agenda-reminder');
    let agendaReminder = agendaReminders ? armAgendaReminder() : null;
    let agendaRevision = plan.revision;
    for (;;) {
      const outcome = await waitOrChange(agendaReminder?.at ?? plan.convocationAt, () => released);
      if (outcome === 'cancelled') return state;
      if (outcome === 'changed') {
        // A session moved before its convocation gets the e-mail again, for its new date.
        if (agendaReminders && agendaRevision !== plan.revision) {
          agendaReminder = armAgendaReminder();
          agendaRevision = plan.revision;
        }
        continue;
      }
      if (released || !agendaReminder) break;
      await act.sendAgendaReminder(meetingId, agendaReminder.revision);
      agendaReminder = null;
    }
    await act.sendConvocations(meetingId, plan.revision);
  }
  state.phase = initial.status === 'held' ? 'awaiting-minutes' : 'convened';

  // 2. Until the session starts: remind those who have not answered, two working days before.
  let reminder = state.phase === 'convened' ? armReminder() : null;
  while (state.phase === 'convened') {
    const outcome = await waitOrChange(reminder?.at ?? plan.startsAt);
    if (outcome === 'cancelled') return state;
    if (outcome === 'changed') {
      if (reminder?.revision !== plan.revision) reminder = armReminder();
      continue;
    }
    if (!reminder) break;
    await act.sendReminders(meetingId, reminder.revision);
    reminder = null;
  }

  // 3. The session: attendance may be recorded during it or afterwards.
  if (state.phase === 'convened') {
    state.phase = 'in-session';
    // The roll call is applied as it is recorded, so the quorum shows while the session runs.
    while (await waitUntil(plan.endsAt, () => attendance.length > 0)) await applyAttendance();
    await applyAttendance();
    await act.markMeetingHeld(meetingId);
    state.phase = 'awaiting-minutes';
  }
  // Reschedule, cancel and addenda make no sense once the session has begun. The API refuses them from its
  // start; one that reached the workflow meanwhile is recorded as refused, not dropped unseen. Histories
  // recorded before this dropped them without an activity, so they replay without the patch.
  if (patched('changes-after-start-refused')) {
    for (let change = changes.shift(); change; change = changes.shift()) {
      await act.rejectChange(meetingId, change, 'modifica richiesta a seduta già iniziata');
      state.rejectedChanges++;
    }
  }
  changes.length = 0;

  // 4. Minutes: request, remind and escalate while late, circulate once approved. An extension of the
  //    deadline moves the due date and starts the ladder over from it (as for deliverables); steps of the
  //    new ladder already past are not sent late.
  if (plan.minutesRequired && initial.minutesStatus !== 'circulated') {
    if (!minutesSubmitted) await act.requestMinutes(meetingId);
    const minutesNews = () => minutesSubmitted || attendance.length > 0 || extensions.length > 0;
    let ladder = await act.minutesLadder(meetingId);
    while (!minutesSubmitted) {
      const [step] = ladder;
      if (step && !(await waitUntil(step.at, minutesNews))) {
        await act.escalateMinutes(meetingId, step);
        state.minutesEscalationLevel = step.level;
        ladder = ladder.slice(1);
        continue;
      }
      if (!step) await condition(minutesNews);
      await applyAttendance();
      if (await applyExtensions()) {
        ladder = (await act.minutesLadder(meetingId)).filter((s) => msUntil(s.at) > 0);
        state.minutesEscalationLevel = 0;
      }
    }
    extensions.length = 0; // the verbale is in: a later deadline no longer matters
    state.phase = 'awaiting-minutes-approval';
    while (!minutesApproved) {
      await condition(() => minutesApproved || attendance.length > 0);
      await applyAttendance();
    }
    await act.circulateMinutes(meetingId);
  }
  await applyAttendance();
  state.phase = 'closed';
  return state;
}
