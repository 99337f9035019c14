/**
 * What Le mie riunioni shows, for the page and its JSON route alike: the sessions of the bodies a person
 * sits on, prepares or convenes, and those they attend as someone's one-meeting delegate (every one ahead,
 * and those of the last year); and one session with its agenda documents, the approved verbale and the person's answer.
 */
import { bodiesReadable, can, type Principal } from '../../domain/policy';
import { seatHeld } from '../../notifications/answers/answering';
import type { Database } from '../../prisma/client';
import { MEETING_STATUS } from '../layout/labels';

const YEAR_MS = 365 * 86_400_000;

export const ANSWER_LABEL = {
  present: 'presente',
  absent: 'assente',
  delegate: 'invia un delegato',
} as const;

const approved = (verbale: { status: string } | null) =>
  verbale?.status === 'approved' || verbale?.status === 'published';

/** For each meeting, whom the person stands in for (the holders who named them as one-meeting delegate). */
async function standingInFor(db: Database, personId: string, meetingIds?: string[]) {
  const named = await db.invitation.findMany({
    where: {
      delegatePersonId: personId,
      answer: 'delegate',
      ...(meetingIds ? { meetingId: { in: meetingIds } } : {}),
    },
    select: { meetingId: true, person: { select: { fullName: true } } },
  });
  const byMeeting = new Map<string, string[]>();
  for (const n of named)
    byMeeting.set(n.meetingId, [...(byMeeting.get(n.meetingId) ?? []), n.person.fullName]);
  return byMeeting;
}

/** The person's sessions from a year ago on, split at `now`. */
export async function myMeetings(db: Database, principal: Principal, now: number) {
  const { personId } = principal;
  const delegateFor = await standingInFor(db, personId);
  const meetings = await db.meeting.findMany({
    where: {
      startsAt: { gte: new Date(now - YEAR_MS) },
      OR: [
        { bodyId: { in: [...bodiesReadable(principal)] } },
        { id: { in: [...principal.invitedTo, ...delegateFor.keys()] } },
      ],
    },
    orderBy: { startsAt: 'asc' },
    include: {
      body: {
        select: {
          id: true,
          name: true,
          ambitoId: true,
          ambito: { select: { name: true } },
          spansAmbiti: true,
        },
      },
      verbale: { select: { status: true } },
      invitations: { where: { personId }, select: { answer: true, delegateName: true } },
    },
  });
  // ATS sees the Cabina di Regia of several ambiti here: then each row names its ambito.
  const severalAmbiti = new Set(meetings.map((m) => m.body.ambitoId)).size > 1;
  const rows = meetings.map((m) => {
    const own = m.invitations[0];
    const target = {
      kind: 'body' as const,
      bodyId: m.body.id,
      ambitoIds: [m.body.ambitoId, ...m.body.spansAmbiti.map((a) => a.ambitoId)],
      meetingId: m.id,
    };
    return {
      id: m.id,
      body: m.body.name,
      ambito: severalAmbiti ? m.body.ambito.name : null,
      /** Whether the person prepares it (agenda, convocation, roll call): then the Seduta page is linked. */
      prepares: can(principal, 'meeting.prepare', target),
      startsAt: m.startsAt.toISOString(),
      place: m.place,
      status: m.status,
      statusLabel: MEETING_STATUS[m.status],
      answer: own?.answer ?? null,
      answerLabel: own?.answer ? ANSWER_LABEL[own.answer] : null,
      delegateName: own?.delegateName ?? null,
      delegateFor: delegateFor.get(m.id) ?? [],
      verbaleApproved: approved(m.verbale),
    };
  });
  return {
    upcoming: rows.filter((r) => Date.parse(r.startsAt) >= now),
    past: rows.filter((r) => Date.parse(r.startsAt) < now).reverse(),
  };
}

/** One session as the person sees it; null when there is no such meeting. */
export async function myMeeting(db: Database, personId: string, meetingId: string, now: number) {
  const m = await db.meeting.findUnique({
    where: { id: meetingId },
    include: {
      body: { select: { name: true } },
      verbale: { select: { status: true, documentId: true } },
      agendaItems: {
        orderBy: { position: 'asc' },
        include: { documents: { select: { id: true, name: true }, orderBy: { createdAt: 'asc' } } },
      },
      invitations: { where: { personId } },
    },
  });
  if (!m) return null;
  const own = m.invitations[0] ?? null;
  const seat = await seatHeld(db, m.bodyId, personId, m.startsAt);
  const delegateFor = (await standingInFor(db, personId, [m.id])).get(m.id) ?? [];
  // The reasons answering.ts refuses an answer, said before the person tries.
  const closed =
    m.status === 'cancelled'
      ? 'La seduta è stata annullata.'
      : m.startsAt.getTime() <= now
        ? 'La seduta è iniziata: la risposta non si può più cambiare.'
        : !seat && delegateFor.length === 0
          ? 'Non risulta tra i convocati di questa seduta: nel giorno della seduta non ricopre un seggio dell’organo né una delega per questa seduta.'
          : null;
  return {
    meeting: {
      id: m.id,
      body: m.body.name,
      startsAt: m.startsAt.toISOString(),
      endsAt: m.endsAt.toISOString(),
      place: m.place,
      onlineUrl: m.onlineUrl,
      status: m.status,
      statusLabel: MEETING_STATUS[m.status],
      cancellationReason: m.cancellationReason,
    },
    agenda: m.agendaItems.map((item) => ({
      position: item.position,
      title: item.title,
      description: item.description,
      isAddendum: item.isAddendum,
      documents: item.documents.map((d) => ({ ...d, url: `/riunioni/${m.id}/documenti/${d.id}` })),
    })),
    verbale:
      approved(m.verbale) && m.verbale?.documentId ? { url: `/api/v1/meetings/${m.id}/minutes/file` } : null,
    answer: own?.answer
      ? {
          value: own.answer,
          label: ANSWER_LABEL[own.answer],
          delegateName: own.delegateName,
          delegateEmail: own.delegateEmail,
          answeredAt: own.answeredAt?.toISOString() ?? null,
        }
      : null,
    seat: seat ? { role: seat.role, allowsDelegate: seat.allowsDelegate } : null,
    delegateFor,
    /** Why the person cannot answer (null: the form is shown). */
    closed,
  };
}
