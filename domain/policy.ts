/**
 * Who may do what: one pure policy, derived from the data, that every route declares what it needs from.
 *
 * A signed-in person's roles are read from the database once per request (api/auth/principal.ts) and handed
 * here as a `Principal`; the thing acted on is described as a `Target` (its ambiti and, for bodies and
 * meetings, the body and its convener organisation). `can` then answers yes or no, with no I/O, so this file
 * is unit-tested exhaustively (policy.test.ts) and a route-table test checks every route declares an action.
 *
 * Roles (issue "Sign-in, sessions and permissions"):
 * - Ufficio di Piano: everything in their ambito.
 * - Segreteria of a body: that body's meetings (agenda, documents, convocation, attendance, verbale).
 * - Convener of a body (its convener organisation's staff, ATS for the Cabina di Regia): as the segreteria,
 *   plus creating, rescheduling and cancelling sessions. ATS sees the Cabina di Regia of every ambito it
 *   serves because the role is tied to the body, not to an ambito.
 * - Member (seat holder or standing delegate): reads their bodies, meetings, documents and approved verbali.
 * - Oversight (Presidente dell'Assemblea, Sovraintendenza): reads everything of their ambito.
 * Ambiti are tenants: no role reaches another ambito's records except through a body that spans it.
 */
import { z } from 'zod';

export const Action = z.enum([
  // Ambito-wide reading: calendar of every body, deliverables, compliance, escalations, audit.
  'ambito.read',
  // Ambito-wide management: people, roles (Ufficio di Piano, segreteria), seats, failed messages.
  'ambito.manage',
  // Deliverables (Piano Operativo, Report annuale): submit, approve, extend, waive.
  'deliverable.manage',
  // A body: its rules, seats and sessions.
  'body.read',
  'body.rules.change',
  // A body's segreteria and seats: who prepares its meetings and who sits on it.
  'body.manage',
  'body.meeting.create',
  // A meeting: read it; prepare it (agenda, documents, convocation, roll call, verbale); move or cancel it.
  'meeting.read',
  'meeting.prepare',
  'meeting.reschedule',
  'meeting.cancel',
  // A verbale not yet approved (drafts are for those who prepare it, and for oversight).
  'minutes.read.draft',
]);
export type Action = z.infer<typeof Action>;

export interface Principal {
  personId: string;
  /** Ambiti whose Ufficio di Piano the person belongs to. */
  udpOf: readonly string[];
  /** Ambiti the person oversees (Presidente dell'Assemblea, Sovraintendenza). */
  oversightOf: readonly string[];
  /** Bodies whose segreteria the person is. */
  segreteriaOf: readonly string[];
  /** Bodies convened by the person's organisation. */
  convenerOf: readonly string[];
  /** Bodies on which the person holds a seat or is a standing delegate today. */
  memberOf: readonly string[];
  /** Meetings the person is invited to outside any seat they hold (a one-meeting delegate). */
  invitedTo: readonly string[];
}

/**
 * What an action is taken on. A body-level target lists every ambito the body serves; a meeting is its
 * body's target plus the meeting's id.
 */
export type Target =
  | { kind: 'ambito'; ambitoId: string }
  | { kind: 'body'; bodyId: string; ambitoIds: string[]; meetingId?: string };

type Role = 'udp' | 'oversight' | 'segreteria' | 'convener' | 'member' | 'invitee';

/** For each action, the roles that grant it. Ambito roles apply within the target's ambiti; body roles on that body. */
const GRANTS: Record<Action, readonly Role[]> = {
  'ambito.read': ['udp', 'oversight'],
  'ambito.manage': ['udp'],
  'deliverable.manage': ['udp'],
  'body.read': ['udp', 'oversight', 'segreteria', 'convener', 'member'],
  'body.rules.change': ['udp'],
  'body.manage': ['udp'],
  'body.meeting.create': ['udp', 'convener'],
  'meeting.read': ['udp', 'oversight', 'segreteria', 'convener', 'member', 'invitee'],
  'meeting.prepare': ['udp', 'segreteria', 'convener'],
  'meeting.reschedule': ['udp', 'convener'],
  'meeting.cancel': ['udp', 'convener'],
  'minutes.read.draft': ['udp', 'oversight', 'segreteria', 'convener'],
};

function holds(principal: Principal, role: Role, target: Target): boolean {
  const ambiti = target.kind === 'ambito' ? [target.ambitoId] : target.ambitoIds;
  switch (role) {
    case 'udp':
      return ambiti.some((a) => principal.udpOf.includes(a));
    case 'oversight':
      return ambiti.some((a) => principal.oversightOf.includes(a));
    case 'segreteria':
      return target.kind === 'body' && principal.segreteriaOf.includes(target.bodyId);
    case 'convener':
      return target.kind === 'body' && principal.convenerOf.includes(target.bodyId);
    case 'member':
      return target.kind === 'body' && principal.memberOf.includes(target.bodyId);
    case 'invitee':
      return target.kind === 'body' && !!target.meetingId && principal.invitedTo.includes(target.meetingId);
  }
}

/** May this person take this action on this target? */
export function can(principal: Principal, action: Action, target: Target): boolean {
  return GRANTS[action].some((role) => holds(principal, role, target));
}

/** The bodies a person may read when no ambito-wide role covers them (filters lists such as the calendar). */
export function bodiesReadable(principal: Principal): Set<string> {
  return new Set([...principal.segreteriaOf, ...principal.convenerOf, ...principal.memberOf]);
}

/** Nobody: the principal of a request that is not signed in (an e-mail token may still open one meeting). */
export const NOBODY: Principal = {
  personId: '',
  udpOf: [],
  oversightOf: [],
  segreteriaOf: [],
  convenerOf: [],
  memberOf: [],
  invitedTo: [],
};

/** The ambiti whose every record the person may read. */
export function ambitiReadable(principal: Principal): Set<string> {
  return new Set([...principal.udpOf, ...principal.oversightOf]);
}
