/** A meeting as the API shows it: the stored row with agenda, answers, attendance and verbale. */
import { DateTime } from 'luxon';
import { formatInstant } from '../../domain/index';
import type { Database, MeetingStatus } from '../../prisma/client';
import { RequestRejected } from '../errors';
import { civilOfColumn } from '../../prisma/date-columns';

const iso = (d: Date | null): string | null => (d ? formatInstant(DateTime.fromJSDate(d)) : null);

export async function meetingOr404(db: Database, id: string) {
  const meeting = await db.meeting.findUnique({ where: { id }, include: { body: true, verbale: true } });
  if (!meeting) {
    throw new RequestRejected(404, 'riunione_sconosciuta', `Riunione sconosciuta: ${id}`, [
      { field: 'id', message: 'nessuna riunione con questo identificativo' },
    ]);
  }
  return meeting;
}

const STATUS_LABEL: Record<MeetingStatus, string> = {
  planned: 'pianificata',
  convened: 'convocata',
  held: 'tenuta',
  closed: 'chiusa',
  cancelled: 'annullata',
};

/** Rejects a request the meeting's current status does not allow. */
export function requireStatus(
  meeting: { status: MeetingStatus },
  allowed: MeetingStatus[],
  what: string,
): void {
  if (!allowed.includes(meeting.status)) {
    throw new RequestRejected(
      409,
      'stato_non_compatibile',
      `Impossibile ${what}: la riunione è ${STATUS_LABEL[meeting.status]}.`,
    );
  }
}

export async function meetingView(db: Database, id: string) {
  const m = await db.meeting.findUniqueOrThrow({
    where: { id },
    include: {
      body: true,
      agendaItems: {
        orderBy: { position: 'asc' },
        include: { documents: { select: { id: true, name: true, mimeType: true, sizeBytes: true } } },
      },
      invitations: { include: { person: true }, orderBy: { person: { fullName: 'asc' } } },
      attendances: { include: { person: true }, orderBy: { person: { fullName: 'asc' } } },
      verbale: { include: { document: true } },
    },
  });
  const document = m.verbale?.document;
  return {
    id: m.id,
    body: { id: m.body.id, name: m.body.name, kind: m.body.kind },
    plannedDate: m.plannedDateKey,
    status: m.status,
    startsAt: iso(m.startsAt),
    endsAt: iso(m.endsAt),
    place: m.place,
    onlineUrl: m.onlineUrl,
    urgent: m.urgent,
    revision: m.revision,
    convenedAt: iso(m.convenedAt),
    cancelledAt: iso(m.cancelledAt),
    cancellationReason: m.cancellationReason,
    agenda: m.agendaItems.map((a) => ({
      id: a.id,
      position: a.position,
      title: a.title,
      description: a.description,
      isAddendum: a.isAddendum,
      documents: a.documents,
    })),
    invitations: m.invitations.map((i) => ({
      personId: i.personId,
      fullName: i.person.fullName,
      answer: i.answer,
      delegateName: i.delegateName,
      answeredAt: iso(i.answeredAt),
    })),
    attendance: m.attendances.map((a) => ({
      personId: a.personId,
      fullName: a.person.fullName,
      status: a.status,
      delegateName: a.delegateName,
      delegatePersonId: a.delegatePersonId,
      arrivedAt: iso(a.arrivedAt),
      countsForQuorum: a.countsForQuorum,
    })),
    verbale: m.verbale && {
      status: m.verbale.status,
      dueDate: civilOfColumn(m.verbale.dueDate),
      submittedAt: iso(m.verbale.submittedAt),
      approvedAt: iso(m.verbale.approvedAt),
      circulatedAt: iso(m.verbale.circulatedAt),
      document: document && {
        id: document.id,
        name: document.name,
        mimeType: document.mimeType,
        sizeBytes: document.sizeBytes,
        sha256: document.sha256,
      },
    },
  };
}
