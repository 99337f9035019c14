/**
 * The meeting workflow's side effects. Each is safe to retry: database writes are guarded by the state they
 * expect (revision, status, unique source keys) and every message has an idempotency key naming its
 * meeting, recipient and revision, so a retried activity or a workflow rebuilt by the reconciler sends
 * nothing twice.
 */
import { DateTime } from 'luxon';
import {
  BodyRules,
  dateOf,
  endOfDay,
  escalationSteps,
  evaluateQuorum,
  formatInstant,
  Instant,
  type EscalationStep,
} from '../domain/index';
import { issueAnswerLinksToAll } from '../notifications/answers/answers';
import { storeAttendance } from './attendance-rows';
import type { AnswerLinks } from '../notifications/answers/tokens';
import { answerToken } from '../notifications/answers/tokens';
import type { NotificationRequest } from '../notifications/outbox/request';
import type { Prisma, PrismaClient } from '../prisma/client';
import { civilOfColumn, dateColumn } from '../prisma/date-columns';
import { heldOn } from '../prisma/membership-days';
import type { AttendanceRecord, LadderStep, MeetingActivities, MeetingPlan } from '../workflows/contracts';
import {
  defaultAgenda,
  legalBasis,
  templateAgenda,
  templateMeeting,
  type MeetingView,
  type Recipient,
} from './compose';
import { activityNow, type ActivityDeps } from './context';
import { escalationRecipients, escalationRequests } from './escalations';
import { sendMessages } from './mail';
import { rejection } from './rejection';
import { bestPresenceBySeat, countingRecords } from './roll-call';
import {
  agendaPreparers,
  leadComuniRecipients,
  minuteTakers,
  oneMeetingDelegates,
  seatRecipients,
  unique,
} from './people';
import { meetingTimeline } from './timeline';

/** Why a reschedule cannot be applied (Italian, for the coordinator), or null when it can. */
export function rescheduleProblem(change: { startsAt: string; endsAt: string }, now: Date): string | null {
  if (!Instant.safeParse(change.startsAt).success || !Instant.safeParse(change.endsAt).success) {
    return 'Spostamento non valido: inizio e fine devono essere istanti ISO 8601 con fuso orario';
  }
  if (Date.parse(change.endsAt) <= Date.parse(change.startsAt))
    return 'Spostamento non valido: la fine precede l’inizio';
  if (Date.parse(change.startsAt) <= now.getTime())
    return 'Spostamento non valido: la nuova data è già passata';
  return null;
}

/**
 * The highest addendum number stored on the agenda (items keep `addendum:<n>:<i>` as source key), so a
 * workflow rebuilt from the database numbers the next addendum after it instead of reusing a number whose
 * items and messages exist already (they would be taken for a retry, and the new addendum dropped).
 */
export function lastAddendum(items: { sourceKey: string | null }[]): number {
  let last = 0;
  for (const { sourceKey } of items) {
    const n = /^addendum:(\d+):/.exec(sourceKey ?? '')?.[1];
    if (n !== undefined) last = Math.max(last, Number(n));
  }
  return last;
}

/** The audit action that records "Invia ora la convocazione"; the plan reads it (api/meetings/operations.ts). */
export const RELEASE_REQUESTED = 'meeting.convocation_release_requested';

/** The audit action naming who a later step of the meeting convened because they took a seat meanwhile. */
export const NEWCOMERS_CONVENED = 'meeting.convened_newcomers';

export const iso = (d: Date): string => formatInstant(DateTime.fromJSDate(d));

const meetingInclude = {
  body: { include: { ambito: true, convenerOrganisation: true } },
  agendaItems: { orderBy: { position: 'asc' }, include: { documents: { orderBy: { createdAt: 'asc' } } } },
  verbale: true,
} satisfies Prisma.MeetingInclude;

/** A meeting as the messages show it: the row, its body's rules, and the data every template shares. */
export async function meetingForMessages(
  db: Pick<PrismaClient, 'meeting'>,
  publicBaseUrl: string,
  meetingId: string,
) {
  const base = publicBaseUrl.replace(/\/$/, '');
  const m = await db.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: meetingInclude });
  const rules = BodyRules.parse(m.body.rules);
  const view: MeetingView = {
    id: m.id,
    bodyId: m.bodyId,
    bodyName: m.body.name,
    bodyKind: m.body.kind,
    startsAt: iso(m.startsAt),
    endsAt: iso(m.endsAt),
    place: m.place,
    onlineUrl: m.onlineUrl ?? (m.place ? null : `${base}/riunioni/${m.id}`),
    urgent: m.urgent,
    revision: m.revision,
    agenda: m.agendaItems.length > 0 ? m.agendaItems : defaultAgenda(rules.minutes.required),
  };
  const common = {
    district: m.body.ambito.name,
    sender: { name: m.body.convenerRole },
    meeting: templateMeeting(view),
  };
  // Documents attached to an item travel as links to the meeting's document route (members sign in).
  const agenda = view.agenda.map((item, i) => ({
    ...templateAgenda([item])[0]!,
    documents: (m.agendaItems[i]?.documents ?? []).map((d) => ({
      title: d.name,
      url: `${base}/riunioni/${m.id}/documenti/${d.id}`,
    })),
  }));
  return { m, rules, view, common, agenda };
}

export type MeetingForMessages = Awaited<ReturnType<typeof meetingForMessages>>;

/** Of these people, those who have had the meeting's convocation at any revision (convocationRequest's key). */
export async function convokedAmong(
  db: Pick<Prisma.TransactionClient, 'outboxMessage'>,
  meetingId: string,
  personIds: string[],
): Promise<Set<string>> {
  const had = await db.outboxMessage.findMany({
    where: { idempotencyKey: { startsWith: `convocation:${meetingId}:` }, personId: { in: personIds } },
    select: { personId: true },
  });
  return new Set(had.flatMap((o) => (o.personId ? [o.personId] : [])));
}

/** The convocation of one recipient: the same request the workflow enqueues and the page previews. */
export function convocationRequest(
  loaded: MeetingForMessages,
  r: Recipient,
  answerLinks: AnswerLinks,
  revision: number,
) {
  const { m, view, common, agenda } = loaded;
  const cabina = m.body.kind === 'cabina_di_regia' && m.body.convenerOrganisation;
  return {
    key: `convocation:${m.id}:${r.personId}:${revision}`,
    kind: cabina ? ('cabinaInvitation' as const) : ('convocation' as const),
    to: { name: r.name, email: r.email },
    data: {
      ...common,
      recipient: { name: r.name },
      agenda,
      legalBasis: legalBasis(view.bodyKind),
      answerLinks,
      ...(cabina ? { onBehalfOf: cabina.name } : {}),
    },
    invite: { method: 'REQUEST' as const, meetingId: m.id, revision },
    meetingId: m.id,
    personId: r.personId,
  } satisfies NotificationRequest;
}

export function createMeetingActivities(deps: ActivityDeps): MeetingActivities {
  const db = deps.prisma;
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const meetingUrl = (id: string) => `${base}/riunioni/${id}`;

  async function load(meetingId: string) {
    const loaded = await meetingForMessages(db, base, meetingId);
    const { m, rules, view } = loaded;
    const timeline = meetingTimeline(view, rules, deps.holidays);
    // The verbale's stored due date wins: the coordinator may have granted more time.
    const minutesDueAt = m.verbale
      ? endOfDay(civilOfColumn(m.verbale.dueDate))
      : (timeline.minutesDueAt ?? view.endsAt);
    return { ...loaded, timeline, minutesDueAt };
  }

  async function plan(meetingId: string): Promise<MeetingPlan> {
    const { m, rules, view, timeline: t, minutesDueAt } = await load(meetingId);
    const v = m.verbale;
    return {
      meetingId: m.id,
      bodyId: m.bodyId,
      status: m.status,
      revision: m.revision,
      startsAt: view.startsAt,
      endsAt: view.endsAt,
      convocationAt: t.convocationAt,
      agendaReminderAt: t.agendaReminderAt,
      reminderAt: t.reminderAt,
      convocationReleased: m.status === 'planned' && (await releaseRequested(m.id)),
      minutesRequired: rules.minutes.required,
      minutesDueAt: rules.minutes.required ? minutesDueAt : null,
      addenda: lastAddendum(m.agendaItems),
      minutesStatus: v?.circulatedAt
        ? 'circulated'
        : v?.approvedAt
          ? 'approved'
          : v?.submittedAt
            ? 'submitted'
            : 'none',
    };
  }

  async function releaseRequested(meetingId: string): Promise<boolean> {
    const count = await db.auditEvent.count({
      where: { entity: 'meeting', entityId: meetingId, action: RELEASE_REQUESTED },
    });
    return count > 0;
  }

  async function audit(action: string, meetingId: string, data: Prisma.InputJsonValue): Promise<void> {
    await db.auditEvent.create({
      data: {
        actor: `workflow:meeting/${meetingId}`,
        action,
        entity: 'meeting',
        entityId: meetingId,
        data,
        at: activityNow(),
      },
    });
  }

  /** Messages that carry answer links (convocation, update, reminder), one per recipient. */
  async function withAnswerLinks(
    loaded: Awaited<ReturnType<typeof load>>,
    recipients: Recipient[],
    build: (r: Recipient, answerLinks: AnswerLinks) => NotificationRequest,
  ): Promise<NotificationRequest[]> {
    const links = await issueAnswerLinksToAll(db, deps.answerLinkSecret, {
      meetingId: loaded.m.id,
      personIds: recipients.map((r) => r.personId),
      expiresAt: loaded.view.endsAt,
      baseUrl: base,
    });
    return recipients.map((r) => build(r, links.get(r.personId)!));
  }

  const to = (r: Recipient) => ({ name: r.name, email: r.email });

  /**
   * Links to a meeting's page, each carrying its recipient's own answer token (`?t=`), so an invitee reads it
   * without signing in (api/auth/guard.ts); people never invited get the plain link and sign in.
   */
  async function ownLinks(meetingId: string, personIds: string[], url: string): Promise<Map<string, string>> {
    const invitations = await db.invitation.findMany({
      where: { meetingId, personId: { in: personIds } },
      select: { id: true, personId: true },
    });
    const tokenOf = new Map(invitations.map((i) => [i.personId, answerToken(deps.answerLinkSecret, i.id)]));
    return new Map(personIds.map((p) => [p, tokenOf.has(p) ? `${url}?t=${tokenOf.get(p)}` : url] as const));
  }

  /** The request for the verbale (first ask, and the reminders of its ladder) to each minute taker. */
  const minutesRequests = (
    takers: Recipient[],
    keyOf: (r: Recipient) => string,
    meetingId: string,
    common: Awaited<ReturnType<typeof load>>['common'],
    dueAt: string,
  ) =>
    takers.map((r) => ({
      key: keyOf(r),
      kind: 'minutesRequest' as const,
      to: to(r),
      data: { ...common, recipient: { name: r.name }, dueAt, uploadUrl: `${meetingUrl(meetingId)}/verbale` },
      meetingId,
      personId: r.personId,
    }));

  return {
    planMeeting: plan,

    async sendAgendaReminder(meetingId, revision) {
      const loaded = await load(meetingId);
      const { m, common, timeline } = loaded;
      // The workflow may have slept through a release, a cancellation or a reschedule not yet applied.
      if (m.status !== 'planned' || m.revision !== revision || (await releaseRequested(m.id)))
        return { messages: 0 };
      const recipients = await agendaPreparers(db, m.body, m.startsAt);
      return sendMessages(
        deps,
        recipients.map((r) => ({
          key: `agenda-reminder:${m.id}:${r.personId}:${revision}`,
          kind: 'agendaPreparation' as const,
          to: to(r),
          data: {
            ...common,
            recipient: { name: r.name },
            convocationAt: timeline.convocationAt,
            agendaItems: m.agendaItems.length,
            meetingUrl: `${base}/sedute/${m.id}`,
          },
          meetingId: m.id,
          personId: r.personId,
        })),
      );
    },

    async sendConvocations(meetingId, revision) {
      const loaded = await load(meetingId);
      const { m } = loaded;
      const recipients = await seatRecipients(db, m.bodyId, m.startsAt);
      const requests = await withAnswerLinks(loaded, recipients, (r, answerLinks) =>
        convocationRequest(loaded, r, answerLinks, revision),
      );
      const sent = await sendMessages(deps, requests);
      const updated = await db.meeting.updateMany({
        where: { id: m.id, status: 'planned' },
        data: { status: 'convened', convenedAt: activityNow() },
      });
      if (updated.count === 1)
        await audit('meeting.convened', m.id, { revision, recipients: recipients.length });
      // One-meeting delegates named before the convocation left, read after the status changed: an answer
      // stored meanwhile (it holds the meeting's row until it commits, so the update above waits for it)
      // either saw 'convened' and sent its delegate's copy itself, or is seen here; both use the same key,
      // so the delegate gets one.
      const delegates = await oneMeetingDelegates(db, m.id);
      const toDelegates = await withAnswerLinks(loaded, delegates, (r, answerLinks) =>
        convocationRequest(loaded, r, answerLinks, revision),
      );
      return { messages: sent.messages + (await sendMessages(deps, toDelegates)).messages };
    },

    async rescheduleMeeting(meetingId, toRevision, change) {
      const current = await db.meeting.findUniqueOrThrow({ where: { id: meetingId } });
      const problem = rescheduleProblem(change, activityNow());
      if (problem && current.revision !== toRevision) {
        await audit('meeting.change_rejected', meetingId, { reason: problem, change: { ...change } });
        throw rejection(problem);
      }
      if (current.revision === toRevision - 1) {
        await db.$transaction([
          db.meeting.update({
            where: { id: meetingId, revision: toRevision - 1 },
            data: {
              startsAt: new Date(change.startsAt),
              endsAt: new Date(change.endsAt),
              revision: toRevision,
            },
          }),
          db.auditEvent.create({
            data: {
              actor: `workflow:meeting/${meetingId}`,
              action: 'meeting.rescheduled',
              entity: 'meeting',
              entityId: meetingId,
              data: { revision: toRevision, previousStartsAt: iso(current.startsAt), ...change },
              at: activityNow(),
            },
          }),
        ]);
      }
      return plan(meetingId);
    },

    async sendRescheduleNotices(meetingId, revision) {
      const loaded = await load(meetingId);
      const { m, common } = loaded;
      const event = await db.auditEvent.findFirstOrThrow({
        where: {
          entity: 'meeting',
          entityId: meetingId,
          action: 'meeting.rescheduled',
          data: { path: ['revision'], equals: revision },
        },
      });
      const change = event.data as { previousStartsAt: string; reason?: string };
      // Those who hold a seat on the new day without having been convened get the convocation, with the
      // new date, instead of a notice that it moved.
      const fresh = await convokeNewcomers(loaded, `reschedule:${revision}`);
      const recipients = (await convened(m)).filter((r) => !fresh.has(r.personId));
      const requests = await withAnswerLinks(loaded, recipients, (r, answerLinks) => ({
        key: `reschedule:${m.id}:${r.personId}:${revision}`,
        kind: 'reschedule',
        to: to(r),
        data: {
          ...common,
          recipient: { name: r.name },
          previousStartsAt: change.previousStartsAt,
          ...(change.reason ? { reason: change.reason } : {}),
          answerLinks,
        },
        invite: { method: 'REQUEST', meetingId: m.id, revision },
        meetingId: m.id,
        personId: r.personId,
      }));
      return sendMessages(deps, requests);
    },

    async sendReminders(meetingId, revision) {
      const loaded = await load(meetingId);
      const { m, common } = loaded;
      const fresh = await convokeNewcomers(loaded, `reminder:${revision}`);
      const silent = await db.invitation.findMany({
        where: { meetingId, answer: null },
        include: { person: true },
        orderBy: { person: { email: 'asc' } },
      });
      // Newcomers just convened are asked to answer by the convocation itself, not reminded of it.
      const recipients = (
        await stillConvened(
          m,
          silent.map((i) => ({ personId: i.personId, name: i.person.fullName, email: i.person.email })),
        )
      ).filter((r) => !fresh.has(r.personId));
      const requests = await withAnswerLinks(loaded, recipients, (r, answerLinks) => ({
        key: `reminder:${m.id}:${r.personId}:${revision}`,
        kind: 'answerReminder',
        to: to(r),
        data: { ...common, recipient: { name: r.name }, answerLinks },
        meetingId: m.id,
        personId: r.personId,
      }));
      return sendMessages(deps, requests);
    },

    async cancelMeeting(meetingId, revision, request, notify) {
      // The cancellation is itself a change the calendars must see: SEQUENCE goes up once more.
      const cancelRevision = notify ? revision + 1 : revision;
      const updated = await db.meeting.updateMany({
        where: { id: meetingId, status: { not: 'cancelled' } },
        data: {
          status: 'cancelled',
          cancelledAt: activityNow(),
          cancellationReason: request.reason,
          revision: cancelRevision,
        },
      });
      if (updated.count === 1)
        await audit('meeting.cancelled', meetingId, { revision: cancelRevision, reason: request.reason });
      if (!notify) return { messages: 0 };
      // Nobody is convened now: a seat holder who never had the convocation has nothing to cancel.
      const { m, common } = await load(meetingId);
      const recipients = await convened(m);
      return sendMessages(
        deps,
        recipients.map((r) => ({
          key: `cancellation:${m.id}:${r.personId}:${cancelRevision}`,
          kind: 'cancellation',
          to: to(r),
          data: { ...common, recipient: { name: r.name }, reason: request.reason },
          invite: { method: 'CANCEL', meetingId: m.id, revision: cancelRevision },
          meetingId: m.id,
          personId: r.personId,
        })),
      );
    },

    async addAgendaItems(meetingId, addendumNo, addendum, notify) {
      if (addendum.items.length === 0 || addendum.items.some((i) => !i.title?.trim())) {
        const reason = 'Integrazione non valida: ogni punto deve avere un titolo';
        await audit('meeting.change_rejected', meetingId, { reason, change: { ...addendum } });
        throw rejection(reason);
      }
      await db.$transaction(async (tx) => {
        const last = await tx.agendaItem.findFirst({ where: { meetingId }, orderBy: { position: 'desc' } });
        let position = last?.position ?? 0;
        for (const [i, item] of addendum.items.entries()) {
          const sourceKey = `addendum:${addendumNo}:${i}`;
          const exists = await tx.agendaItem.findUnique({
            where: { meetingId_sourceKey: { meetingId, sourceKey } },
          });
          if (exists) continue;
          await tx.agendaItem.create({
            data: {
              meetingId,
              position: ++position,
              title: item.title,
              description: item.description ?? null,
              isAddendum: notify,
              sourceKey,
            },
          });
        }
      });
      if (!notify) return { messages: 0 };
      const loaded = await load(meetingId);
      const { m, view, common } = loaded;
      const added = m.agendaItems.filter((a) => a.sourceKey?.startsWith(`addendum:${addendumNo}:`));
      // A newcomer's convocation already lists the added items.
      const fresh = await convokeNewcomers(loaded, `addendum:${addendumNo}`);
      const recipients = (await convened(m)).filter((r) => !fresh.has(r.personId));
      return sendMessages(
        deps,
        recipients.map((r) => ({
          key: `addendum:${m.id}:${r.personId}:${addendumNo}`,
          kind: 'agendaAddendum',
          to: to(r),
          data: {
            ...common,
            recipient: { name: r.name },
            firstNumber: added[0]?.position ?? view.agenda.length,
            addedItems: templateAgenda(added),
            legalBasis: legalBasis(view.bodyKind),
          },
          meetingId: m.id,
          personId: r.personId,
        })),
      );
    },

    async extendMinutesDeadline(meetingId, extension) {
      const { minutesDueAt } = await load(meetingId);
      const newDay = Instant.safeParse(extension.dueAt).success ? dateOf(extension.dueAt) : null;
      // A retry after the change committed finds it done: not a refusal.
      if (newDay && newDay === dateOf(minutesDueAt)) return;
      const problem = !newDay
        ? 'Proroga del verbale non valida: serve una nuova scadenza ISO 8601 con fuso orario'
        : !extension.reason?.trim()
          ? 'Proroga del verbale non valida: serve un motivo'
          : newDay < dateOf(minutesDueAt)
            ? `Proroga del verbale non valida: la nuova scadenza deve seguire quella attuale (${dateOf(minutesDueAt)})`
            : null;
      if (problem) {
        await audit('meeting.change_rejected', meetingId, { reason: problem, change: { ...extension } });
        throw rejection(problem);
      }
      const dueDate = dateColumn(newDay!); // no day: `problem` says so, and it threw
      await db.$transaction([
        db.verbale.upsert({ where: { meetingId }, create: { meetingId, dueDate }, update: { dueDate } }),
        db.auditEvent.create({
          data: {
            actor: extension.by ?? `workflow:meeting/${meetingId}`,
            action: 'meeting.minutes_deadline_extended',
            entity: 'meeting',
            entityId: meetingId,
            data: { dueDate: newDay, previousDueDate: dateOf(minutesDueAt), reason: extension.reason },
            at: activityNow(),
          },
        }),
      ]);
    },

    async rejectChange(meetingId, change, reason) {
      await audit('meeting.change_rejected', meetingId, { reason, change: change as Prisma.InputJsonValue });
    },

    async recordAttendance(meetingId, record: AttendanceRecord) {
      const { m, rules } = await load(meetingId);
      const memberships = await db.membership.findMany({
        where: {
          seat: { bodyId: m.bodyId, votes: true },
          ...heldOn(m.startsAt),
        },
      });
      const seatOf = new Map<string, string>();
      for (const ms of memberships) {
        seatOf.set(ms.personId, ms.seatId);
        if (ms.delegatePersonId) seatOf.set(ms.delegatePersonId, ms.seatId);
      }
      await storeAttendance(
        db,
        meetingId,
        record.entries.map((e) => ({ ...e, seatId: seatOf.get(e.personId) ?? null })),
        activityNow(),
      );
      const all = await db.attendance.findMany({ where: { meetingId, seatId: { not: null } } });
      const best = bestPresenceBySeat(all);
      const seats = [...new Set(memberships.map((ms) => ms.seatId))];
      const counting = countingRecords(best, new Set(seats), rules.quorum.delegatesCount);
      // Stored per record, so reports and the draft verbale say who made the quorum without recomputing it.
      await db.$transaction([
        db.attendance.updateMany({
          where: { meetingId, id: { notIn: counting } },
          data: { countsForQuorum: false },
        }),
        db.attendance.updateMany({ where: { id: { in: counting } }, data: { countsForQuorum: true } }),
      ]);
      if (seats.length === 0) return { present: 0, seats: 0, reached: false };
      const outcome = evaluateQuorum(
        seats,
        [...best].map(([seatId, b]) => ({ seatId, presence: b.presence })),
        rules.quorum,
      );
      await audit('meeting.attendance', meetingId, {
        counted: outcome.counted,
        seats: outcome.seats,
        valid: outcome.valid,
      });
      return { present: outcome.counted, seats: outcome.seats, reached: outcome.valid };
    },

    async markMeetingHeld(meetingId) {
      const { rules } = await load(meetingId);
      const status = rules.minutes.required ? 'held' : 'closed';
      const updated = await db.meeting.updateMany({
        where: { id: meetingId, status: { in: ['planned', 'convened'] } },
        data: { status },
      });
      if (updated.count === 1) await audit('meeting.held', meetingId, { status });
    },

    async minutesLadder(meetingId) {
      return (await minutesSteps(meetingId)).map((s) => ({ level: s.level, at: s.at }));
    },

    async requestMinutes(meetingId) {
      const { m, common, minutesDueAt } = await load(meetingId);
      const dueDate = dateOf(minutesDueAt);
      await db.verbale.upsert({
        where: { meetingId },
        create: { meetingId, dueDate: dateColumn(dueDate) },
        update: {},
      });
      const takers = await minuteTakers(db, m.body, m.startsAt);
      return sendMessages(
        deps,
        minutesRequests(takers, (r) => `minutes-request:${m.id}:${r.personId}`, m.id, common, minutesDueAt),
      );
    },

    async escalateMinutes(meetingId, wanted: LadderStep) {
      const step = (await minutesSteps(meetingId)).find(
        (s) => s.level === wanted.level && s.at === wanted.at,
      );
      if (!step)
        throw new Error(`Nessun passo ${wanted.level} al ${wanted.at} per il verbale di ${meetingId}`);
      const { m, view, common, minutesDueAt } = await load(meetingId);
      const takers = await minuteTakers(db, m.body, m.startsAt);
      const keyOf = (r: Recipient) => `minutes-step:${m.id}:${step.at}:${r.personId}`;
      if (step.kind === 'reminder') {
        return sendMessages(deps, minutesRequests(takers, keyOf, m.id, common, minutesDueAt));
      }
      const recipients = await escalationRecipients(db, m.body.ambitoId, step, takers, step.date);
      const title = `Verbale della seduta di ${view.bodyName} del ${dateOf(view.startsAt)}`;
      return sendMessages(
        deps,
        escalationRequests(recipients, step, {
          district: common.district,
          overdue: { title, dueAt: minutesDueAt, url: `${meetingUrl(m.id)}/verbale` },
          keyOf,
          meetingId: m.id,
        }),
      );
    },

    async circulateMinutes(meetingId) {
      const { m, common } = await load(meetingId);
      const members = await seatRecipients(db, m.bodyId, m.startsAt);
      const leads =
        m.body.kind === 'comitato_ristretto' ? await leadComuniRecipients(db, m.body.ambitoId) : [];
      const approvedAt = m.verbale?.approvedAt;
      const recipients = unique([...members, ...leads]);
      const links = await ownLinks(
        m.id,
        recipients.map((r) => r.personId),
        `${meetingUrl(m.id)}/verbale`,
      );
      const sent = await sendMessages(
        deps,
        recipients.map((r) => ({
          key: `minutes:${m.id}:${r.personId}`,
          kind: 'minutesCirculation',
          to: to(r),
          data: {
            ...common,
            recipient: { name: r.name },
            minutesUrl: links.get(r.personId)!,
            ...(approvedAt ? { approvedAt: iso(approvedAt) } : {}),
          },
          meetingId: m.id,
          personId: r.personId,
        })),
      );
      const now = activityNow();
      await db.verbale.updateMany({ where: { meetingId, circulatedAt: null }, data: { circulatedAt: now } });
      await db.meeting.updateMany({ where: { id: meetingId, status: 'held' }, data: { status: 'closed' } });
      return sent;
    },
  };

  /**
   * Those invited (the convocation's recipients, one-meeting delegates, members who answered), else the seat
   * holders on the day; in both cases only those who still have a place at the session (stillConvened).
   */
  async function convened(m: { id: string; bodyId: string; startsAt: Date }): Promise<Recipient[]> {
    const invited = await db.invitation.findMany({
      where: { meetingId: m.id },
      include: { person: true },
      orderBy: { person: { email: 'asc' } },
    });
    if (invited.length === 0) return seatRecipients(db, m.bodyId, m.startsAt);
    return stillConvened(
      m,
      invited.map((i) => ({ personId: i.personId, name: i.person.fullName, email: i.person.email })),
    );
  }

  /**
   * The recipients who still have a place at the session: they hold one of the body's seats on its day (in
   * Europe/Rome, prisma/membership-days.ts), as holder or standing delegate, or a member named them delegate
   * for this meeting. The same rule as who may answer (notifications/answers/answering.ts): a mayor replaced
   * after the convocation left keeps the invitation (its link says why it no longer answers), but the
   * reminders, updates and cancellation of a session they will not attend stop reaching them.
   */
  async function stillConvened(
    m: { id: string; bodyId: string; startsAt: Date },
    recipients: Recipient[],
  ): Promise<Recipient[]> {
    const ids = recipients.map((r) => r.personId);
    const [seats, named] = await Promise.all([
      db.membership.findMany({
        where: {
          seat: { bodyId: m.bodyId },
          AND: [heldOn(m.startsAt), { OR: [{ personId: { in: ids } }, { delegatePersonId: { in: ids } }] }],
        },
        select: { personId: true, delegatePersonId: true },
      }),
      oneMeetingDelegates(db, m.id),
    ]);
    const placed = new Set([
      ...seats.flatMap((s) => [s.personId, ...(s.delegatePersonId ? [s.delegatePersonId] : [])]),
      ...named.map((r) => r.personId),
    ]);
    return recipients.filter((r) => placed.has(r.personId));
  }

  /**
   * A seat that changed hands after the convocation left (a successor, or a new standing delegate, from a day
   * on or before the session): whoever represents it on the session day and never had the convocation gets it
   * now, before the step's own message, with answer links, under the convocation's own key (so at most once
   * per person and revision; a convocation at any revision, or a late one sent with an answer, counts).
   * Only while the meeting is convened: before that the convocation itself includes them, after a
   * cancellation there is nothing to be convened to.
   *
   * Returns who this step convened, whom the caller spares its own message (the convocation carries the same
   * news). They are recorded (audited, under the step's name) before the convocations are stored, so a
   * retried step, which finds them convened already, still spares them: the answer does not depend on
   * whether an earlier attempt got as far as sending.
   */
  async function convokeNewcomers(
    loaded: Awaited<ReturnType<typeof load>>,
    step: string,
  ): Promise<Set<string>> {
    const { m } = loaded;
    const recorded = await db.auditEvent.findMany({
      where: {
        entity: 'meeting',
        entityId: m.id,
        action: NEWCOMERS_CONVENED,
        data: { path: ['step'], equals: step },
      },
    });
    const earlier = recorded.flatMap((e) => (e.data as { personIds: string[] }).personIds);
    if (m.status !== 'convened') return new Set(earlier);
    const onTheDay = await seatRecipients(db, m.bodyId, m.startsAt);
    const convoked = await convokedAmong(
      db,
      m.id,
      onTheDay.map((r) => r.personId),
    );
    const newcomers = onTheDay.filter((r) => !convoked.has(r.personId));
    const unrecorded = newcomers.filter((r) => !earlier.includes(r.personId));
    if (unrecorded.length > 0)
      await audit(NEWCOMERS_CONVENED, m.id, {
        step,
        revision: m.revision,
        personIds: unrecorded.map((r) => r.personId),
      });
    const requests = await withAnswerLinks(loaded, newcomers, (r, answerLinks) =>
      convocationRequest(loaded, r, answerLinks, m.revision),
    );
    await sendMessages(deps, requests);
    return new Set([...earlier, ...newcomers.map((r) => r.personId)]);
  }

  /** Reminders that fall after the session (a 30-day reminder for a 15-day deadline would precede it) and the ladder. */
  async function minutesSteps(meetingId: string): Promise<EscalationStep[]> {
    const { view, minutesDueAt } = await load(meetingId);
    const end = Date.parse(view.endsAt);
    return escalationSteps(dateOf(minutesDueAt), { holidays: deps.holidays }).filter(
      (s) => s.kind === 'escalation' || Date.parse(s.at) > end + 24 * 3600_000,
    );
  }
}
