/**
 * The deliverable workflow's side effects. Stage deadlines come from the domain (tied to the Comitato
 * Ristretto and Assemblea sessions of the year's plan); an extension granted for a stage is a
 * `deadline_extended` event and wins over the computed date. Every message key names the deliverable, the
 * stage, the due date and the step, so an extension re-arms reminders while a retry repeats nothing.
 */
import {
  BodyRules,
  DEFAULT_DELIVERABLE_RULES,
  Instant,
  dateOf,
  deliverableDeadlines,
  endOfDay,
  escalationSteps,
  planYear,
  stageDeadlines,
  storedOverrides,
  yearOf,
  type DeliverableDeadline,
  type EscalationStep,
  type HolidayCalendar,
  type Stage,
} from '../domain/index';
import type { Deliverable, Prisma, PrismaClient } from '../prisma/client';
import type { DeliverableActivities, DeliverablePlan, DeliverableStage } from '../workflows/contracts';
import type { Recipient } from './compose';
import { activityNow, type ActivityDeps } from './context';
import { escalationRecipients, escalationRequests } from './escalations';
import { sendMessages } from './mail';
import { rejection } from './rejection';
import { roleRecipients } from './people';
import { civilOfColumn, dateColumn } from '../prisma/date-columns';

const DOMAIN_STAGE: Record<DeliverableStage, Stage> = {
  udp_draft: 'draft',
  cr_review: 'review',
  ads_approval: 'approval',
};
const NEXT_STAGE: Record<DeliverableStage, DeliverableStage | 'completed'> = {
  udp_draft: 'cr_review',
  cr_review: 'ads_approval',
  ads_approval: 'completed',
};
const STAGE_LABEL: Record<DeliverableStage, string> = {
  udp_draft: 'bozza dell’Ufficio di Piano',
  cr_review: 'esame del Comitato Ristretto',
  ads_approval: 'approvazione dell’Assemblea dei Sindaci',
};

/** The period key of a deliverable: one per year, the semestral update tagged as such. */
export function referencePeriod(kind: string, year: number): string {
  return kind === 'aggiornamento_semestrale' ? `${year}-S1` : String(year);
}

/** The rule-derived deadline of a stored deliverable (its due date as stored, which extensions move). */
export function deliverableDeadlineOf(d: Deliverable): DeliverableDeadline {
  const dueYear = yearOf(civilOfColumn(d.dueDate));
  const found = [dueYear - 1, dueYear, dueYear + 1]
    .flatMap((y) => deliverableDeadlines(y, DEFAULT_DELIVERABLE_RULES))
    .find((x) => x.kind === d.kind && x.year === d.referenceYear);
  if (!found) throw new Error(`Nessuna regola per ${d.kind} ${d.referenceYear}`);
  const dueDate = civilOfColumn(d.dueDate);
  return { ...found, dueDate, dueAt: endOfDay(dueDate) };
}

/**
 * A stage's due date: from the plan of the year, unless an extension was granted for it. Also read by the
 * year's monitoring report (reports/monitoring.ts), which compares each stage with it.
 */
export async function deliverableStageDueDate(
  db: PrismaClient,
  holidays: HolidayCalendar,
  d: Deliverable & { stage: DeliverableStage },
): Promise<string> {
  const deadline = deliverableDeadlineOf(d);
  const year = yearOf(deadline.dueDate);
  const bodies = await db.body.findMany({ where: { ambitoId: d.ambitoId, active: true } });
  // The sessions as stored (moved, cancelled) override the rules' dates, as on the calendar: an Assemblea
  // moved from 15 to 29 April still approves the Report annuale by the end of April (000:L919), and the
  // stage is due at that session, not at the date it was first planned for.
  const stored = await db.meeting.findMany({
    where: {
      bodyId: { in: bodies.map((b) => b.id) },
      plannedDateKey: { gte: `${year}-01-01`, lte: `${year}-12-31` },
    },
  });
  const plan = planYear(
    year,
    bodies.map((b) => ({ id: b.id, kind: b.kind, name: b.name, rules: BodyRules.parse(b.rules) })),
    storedOverrides(stored),
    { holidays },
  );
  const computed = stageDeadlines(deadline, plan.meetings).find(
    (s) => s.stage === DOMAIN_STAGE[d.stage],
  )!.dueDate;
  const extension = await db.deliverableEvent.findFirst({
    where: { deliverableId: d.id, kind: 'deadline_extended', stage: d.stage },
    orderBy: { at: 'desc' },
  });
  const extended = (extension?.data as { dueDate?: string } | null)?.dueDate;
  return extended && extended > computed ? extended : computed;
}

export function createDeliverableActivities(deps: ActivityDeps): DeliverableActivities {
  const db = deps.prisma;
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const url = (id: string) => `${base}/scadenze/${id}`;

  const deadlineOf = deliverableDeadlineOf;
  const stageDueDate = (d: Deliverable & { stage: DeliverableStage }) =>
    deliverableStageDueDate(db, deps.holidays, d);

  async function load(id: string) {
    const d = await db.deliverable.findUniqueOrThrow({
      where: { id },
      include: { ambito: true, ownerPerson: true },
    });
    return d;
  }

  async function plan(id: string): Promise<DeliverablePlan> {
    const d = await load(id);
    const closed = d.status === 'approved' || d.status === 'waived' || d.stage === 'completed';
    const stage = (d.stage === 'completed' ? 'ads_approval' : d.stage) as DeliverableStage;
    const dueDate = closed ? civilOfColumn(d.dueDate) : await stageDueDate({ ...d, stage });
    const steps = escalationSteps(dueDate, { holidays: deps.holidays });
    // A recommended deliverable (the semestral update: "è possibile e opportuno", 000:L919-921) is reminded
    // of, but a miss is not a breach to climb the ladder to the Presidente and the Sovraintendenza with.
    const optional = deadlineOf(d).optional;
    return {
      deliverableId: d.id,
      closed,
      stage,
      dueAt: endOfDay(dueDate),
      reminders: steps
        .filter((s) => s.kind === 'reminder')
        .map((s) => ({ daysBefore: -s.offsetDays, at: s.at })),
      ladder: optional
        ? []
        : steps.filter((s) => s.kind === 'escalation').map((s) => ({ level: s.level, at: s.at })),
    };
  }

  /** Who owns a stage: the named owner for the draft, else the role the stage belongs to. */
  async function owners(
    d: Awaited<ReturnType<typeof load>>,
    stage: DeliverableStage,
    on: Date,
  ): Promise<Recipient[]> {
    if (stage === 'udp_draft' && d.ownerPerson) {
      const p = d.ownerPerson;
      return [{ personId: p.id, name: p.fullName, email: p.email }];
    }
    const role =
      stage === 'udp_draft'
        ? 'responsabile_udp'
        : stage === 'cr_review'
          ? 'coordinatore_comitato_ristretto'
          : 'presidente_assemblea';
    return roleRecipients(db, d.ambitoId, role, on);
  }

  async function record(
    deliverableId: string,
    kind: Prisma.DeliverableEventCreateInput['kind'],
    stage: DeliverableStage | 'completed',
    extra: { note?: string; actor?: string; data?: Prisma.InputJsonValue } = {},
  ) {
    await db.deliverableEvent.create({
      data: {
        deliverableId,
        kind,
        stage,
        actor: extra.actor ?? `workflow:deliverable/${deliverableId}`,
        note: extra.note ?? null,
        data: extra.data,
        at: activityNow(),
      },
    });
  }

  const title = (d: Deliverable) => deadlineOf(d).label;

  return {
    planDeliverable: plan,

    async applyDeliverableEvent(id, event) {
      const d = await load(id);
      if (d.status === 'approved' || d.status === 'waived') return plan(id);
      const stage = d.stage as DeliverableStage;
      const actor = event.by;
      switch (event.type) {
        case 'submitted': {
          // A submission for a stage already passed is a repeat (a retried signal): nothing to do.
          if (event.stage !== stage) break;
          const next = NEXT_STAGE[stage];
          await db.deliverable.update({
            where: { id, stage },
            data: {
              stage: next,
              escalationLevel: 0,
              ...(next === 'completed' ? { status: 'approved' } : {}),
            },
          });
          await record(id, 'submitted', stage, { actor });
          await record(id, 'stage_changed', next, { actor });
          break;
        }
        case 'approved':
          await db.deliverable.update({ where: { id }, data: { stage: 'completed', status: 'approved' } });
          await record(id, 'approved', 'completed', { actor });
          break;
        case 'extended': {
          if (!Instant.safeParse(event.dueAt).success || !event.reason?.trim()) {
            const reason =
              'Proroga non valida: serve una nuova scadenza ISO 8601 con fuso orario e un motivo';
            // Audited, not added to the history: the history's extensions are the ones in force.
            await db.auditEvent.create({
              data: {
                actor: actor ?? `workflow:deliverable/${id}`,
                action: 'deliverable.extension_rejected',
                entity: 'deliverable',
                entityId: id,
                data: { reason, change: { ...event } },
                at: activityNow(),
              },
            });
            throw rejection(reason);
          }
          const dueDate = dateOf(event.dueAt);
          if (dueDate > civilOfColumn(d.dueDate)) {
            await db.deliverable.update({
              where: { id },
              data: { dueDate: dateColumn(dueDate) },
            });
          }
          await db.deliverable.update({ where: { id }, data: { escalationLevel: 0 } });
          await record(id, 'deadline_extended', stage, { actor, note: event.reason, data: { dueDate } });
          break;
        }
        case 'waived':
          await db.deliverable.update({ where: { id }, data: { stage: 'completed', status: 'waived' } });
          await record(id, 'waived', 'completed', { actor, note: event.reason });
          break;
      }
      return plan(id);
    },

    async remindDeliverable(id, stage, dueAt, daysBefore) {
      const d = await load(id);
      const dueDate = dueAt.slice(0, 10);
      const recipients = await owners(d, stage, activityNow());
      const sent = await sendMessages(
        deps,
        recipients.map((r) => ({
          key: `deliverable-reminder:${id}:${stage}:${dueDate}:${daysBefore}:${r.personId}`,
          kind: 'deliverableReminder',
          to: { name: r.name, email: r.email },
          data: {
            district: d.ambito.name,
            recipient: { name: r.name },
            sender: { name: 'Ufficio di Piano' },
            deliverable: { title: title(d), stage: STAGE_LABEL[stage], dueAt, url: url(id) },
            daysLeft: daysBefore,
          },
          personId: r.personId,
        })),
      );
      await record(id, 'reminded', stage, { data: { daysBefore, dueDate } });
      return sent;
    },

    async escalateDeliverable(id, stage, dueAt, level) {
      const d = await load(id);
      const dueDate = dueAt.slice(0, 10);
      const step = escalationSteps(dueDate, { holidays: deps.holidays }).find(
        (s): s is EscalationStep => s.kind === 'escalation' && s.level === level,
      );
      if (!step) throw new Error(`Nessun livello ${level} nella scala di sollecito`);
      const recipients = await escalationRecipients(
        db,
        d.ambitoId,
        step,
        await owners(d, stage, activityNow()),
        step.date,
      );
      const sent = await sendMessages(
        deps,
        escalationRequests(recipients, step, {
          district: d.ambito.name,
          overdue: { title: `${title(d)} – ${STAGE_LABEL[stage]}`, dueAt, url: url(id) },
          keyOf: (r) => `escalation:${id}:${stage}:${dueDate}:${level}:${r.personId}`,
        }),
      );
      if (step.agendaItemFor) await addToNextAgenda(d, step.agendaItemFor, title(d), stage);
      await db.deliverable.updateMany({
        where: { id, escalationLevel: { lt: level } },
        data: { escalationLevel: level },
      });
      await record(id, 'escalated', stage, { data: { level, dueDate, recipients: recipients.length } });
      return sent;
    },
  };

  /** An item on the next not-yet-held meeting of the body kind; once per deliverable and stage. */
  async function addToNextAgenda(d: Deliverable, bodyKind: string, label: string, stage: DeliverableStage) {
    const meeting = await db.meeting.findFirst({
      where: {
        body: { ambitoId: d.ambitoId, kind: bodyKind as never },
        status: { in: ['planned', 'convened'] },
        startsAt: { gt: activityNow() },
      },
      orderBy: { startsAt: 'asc' },
    });
    if (!meeting) return;
    const sourceKey = `deliverable:${d.id}:${stage}:escalation`;
    await db.$transaction(async (tx) => {
      const exists = await tx.agendaItem.findUnique({
        where: { meetingId_sourceKey: { meetingId: meeting.id, sourceKey } },
      });
      if (exists) return;
      const last = await tx.agendaItem.findFirst({
        where: { meetingId: meeting.id },
        orderBy: { position: 'desc' },
      });
      await tx.agendaItem.create({
        data: {
          meetingId: meeting.id,
          position: (last?.position ?? 0) + 1,
          title: `Ritardo: ${label} (${STAGE_LABEL[stage]})`,
          description: 'Punto aggiunto automaticamente dalla scala di sollecito.',
          isAddendum: meeting.status === 'convened',
          sourceKey,
        },
      });
    });
  }
}
