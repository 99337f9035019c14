/**
 * Escalation messages, shared by late minutes and late deliverables: who a ladder step reaches (the roles
 * of domain/escalation.ts resolved to people) and the message each of them gets, naming the others told.
 */
import { daysBetween, type EscalationStep } from '../domain/index';
import type { NotificationRequest } from '../notifications/outbox/request';
import type { PrismaClient } from '../prisma/client';
import type { Recipient } from './compose';
import { roleRecipients, unique } from './people';

const LEVEL_LABELS: Record<number, string> = {
  1: 'primo livello: responsabile e Responsabile dell’Ufficio di Piano',
  2: 'secondo livello: Coordinatore del Comitato Ristretto',
  3: 'terzo livello: Presidente dell’Assemblea dei Sindaci e Sovraintendenza',
};

export async function escalationRecipients(
  db: PrismaClient,
  ambitoId: string,
  step: EscalationStep,
  owners: Recipient[],
  day: string,
): Promise<Recipient[]> {
  const on = new Date(`${day}T12:00:00Z`);
  const groups = await Promise.all(
    step.notify.map((role) => (role === 'owner' ? owners : roleRecipients(db, ambitoId, role, on))),
  );
  return unique(groups.flat());
}

export function escalationRequests(
  recipients: Recipient[],
  step: EscalationStep,
  ctx: {
    district: string;
    overdue: { title: string; dueAt: string; url: string };
    keyOf: (r: Recipient) => string;
    meetingId?: string;
  },
): NotificationRequest[] {
  const dueDay = ctx.overdue.dueAt.slice(0, 10);
  return recipients.map((r) => ({
    key: ctx.keyOf(r),
    kind: 'escalation',
    to: { name: r.name, email: r.email },
    data: {
      district: ctx.district,
      recipient: { name: r.name },
      sender: { name: 'Ufficio di Piano' },
      overdue: ctx.overdue,
      daysLate: Math.max(1, daysBetween(dueDay, step.date)),
      level: step.level,
      levelLabel: LEVEL_LABELS[step.level] ?? `livello ${step.level}`,
      alsoNotified: recipients.filter((o) => o.personId !== r.personId).map((o) => o.name),
    },
    ...(ctx.meetingId ? { meetingId: ctx.meetingId } : {}),
    personId: r.personId,
  }));
}
