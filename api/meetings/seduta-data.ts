/**
 * What the Seduta page shows, gathered in one place: the meeting, which actions its state allows now, the
 * answers so far, the roll call with the quorum, the verbale, and the history (audit and every message with
 * its delivery state). The view only lays it out.
 */
import { rollCall } from '../../activities/roll-call';
import { formatDate, formatDateTime, formatTime } from '../../notifications/format';
import { kindLabel } from '../../notifications/templates/labels';
import type { AttendanceStatus, Database, OutboxStatus } from '../../prisma/client';
import { meetingView } from './view';

/** A refused form: which section, what was typed, the messages. */
export interface FormState {
  section: string;
  values: Record<string, string | undefined>;
  message: string;
  fields: Record<string, string>;
}

const ADDENDUM_NOTICE_MS = 24 * 3600_000;

/**
 * Where the fields of each form of the page are: their id and label, so that the message of a refused form
 * links to each field to correct. Fields a refusal names that the form does not show (the operation speaks
 * of instants, the form of a day and times) go to the form field that holds them.
 */
function fieldPlaces(
  section: string,
  holders: Map<string, string>,
): Record<string, { id: string; label: string }> {
  const item = /^punto-(.+)$/.exec(section)?.[1];
  if (item)
    return {
      title: { id: `titolo-${item}`, label: 'Titolo' },
      description: { id: `descrizione-${item}`, label: 'Descrizione' },
      file: { id: `file-${item}`, label: 'Documento' },
    };
  const places: Record<string, Record<string, { id: string; label: string }>> = {
    odg: {
      title: { id: 'nuovo-titolo', label: 'Titolo del punto' },
      description: { id: 'nuovo-descrizione', label: 'Descrizione' },
    },
    sposta: {
      day: { id: 'sposta-giorno', label: 'Nuovo giorno' },
      startsAt: { id: 'sposta-giorno', label: 'Nuovo giorno' },
      startTime: { id: 'sposta-inizio', label: 'Inizio' },
      endTime: { id: 'sposta-fine', label: 'Fine' },
      endsAt: { id: 'sposta-fine', label: 'Fine' },
      reason: { id: 'sposta-motivo', label: 'Motivo' },
    },
    annulla: { reason: { id: 'annulla-motivo', label: 'Motivo dell’annullamento' } },
    verbale: { file: { id: 'verbale-file', label: 'Verbale' } },
    proroga: {
      dueDate: { id: 'proroga-data', label: 'Nuova scadenza' },
      reason: { id: 'proroga-motivo', label: 'Motivo' },
    },
  };
  if (section !== 'appello') return places[section] ?? {};
  const roll: Record<string, { id: string; label: string }> = {};
  for (const [personId, name] of holders) {
    roll[`stato-${personId}`] = { id: `stato-${personId}`, label: `Presenza di ${name}` };
    roll[`delegato-${personId}`] = { id: `delegato-${personId}`, label: `Delegato per ${name}` };
    roll[`arrivo-${personId}`] = { id: `arrivo-${personId}`, label: `Ora di arrivo di ${name}` };
  }
  return roll;
}

/**
 * A refused form as its section shows it: the message, and a link to each field to correct (the field's
 * label and its message), as the error summary of a form reads.
 */
function refusal(form: FormState | undefined, holders: Map<string, string>) {
  if (!form) return null;
  const places = fieldPlaces(form.section, holders);
  const seen = new Set<string>();
  const links = [];
  for (const [name, message] of Object.entries(form.fields)) {
    const place = places[name];
    if (!place || seen.has(place.id)) continue;
    seen.add(place.id);
    links.push({ href: `#${place.id}`, label: place.label, message });
  }
  return { section: form.section, message: form.message, links };
}

export const STATUS_LABEL: Record<AttendanceStatus, string> = {
  present: 'Presente',
  delegate: 'Rappresentato da delegato',
  absent_justified: 'Assente giustificato',
  absent: 'Assente',
};

const ANSWER_LABEL = { present: 'Sarà presente', absent: 'Assente', delegate: 'Invia un delegato' } as const;

const MEETING_STATUS = {
  planned: 'Pianificata: convocazione non ancora inviata',
  convened: 'Convocata',
  held: 'Tenuta: verbale atteso',
  closed: 'Chiusa',
  cancelled: 'Annullata',
} as const;

const DELIVERY: Record<OutboxStatus, string> = {
  queued: 'in coda',
  sending: 'in invio',
  sent: 'inviato',
  failed: 'non recapitato',
};

/** Audit actions as the office reads them; unknown ones show their code. */
const ACTION_LABEL: Record<string, string> = {
  'meeting.created': 'Seduta creata',
  'meeting.convened': 'Convocazione inviata',
  'meeting.convened_newcomers': 'Convocato chi è subentrato in un seggio',
  'meeting.convocation_release_requested': 'Chiesto l’invio immediato della convocazione',
  'meeting.reschedule_requested': 'Chiesto lo spostamento',
  'meeting.rescheduled': 'Seduta spostata',
  'meeting.cancel_requested': 'Chiesto l’annullamento',
  'meeting.cancelled': 'Seduta annullata',
  'meeting.agenda_addendum_requested': 'Punti aggiunti all’ordine del giorno',
  'meeting.agenda_item_edited': 'Punto modificato',
  'meeting.agenda_item_removed': 'Punto tolto',
  'meeting.agenda_reordered': 'Ordine del giorno riordinato',
  'meeting.document_attached': 'Documento allegato',
  'meeting.document_removed': 'Documento tolto',
  'meeting.attendance_recorded': 'Appello registrato',
  'meeting.attendance': 'Quorum ricalcolato',
  'meeting.held': 'Seduta tenuta',
  'meeting.minutes_submitted': 'Verbale caricato',
  'meeting.minutes_approved': 'Verbale approvato',
  'meeting.minutes_extension_requested': 'Chiesta la proroga del verbale',
  'meeting.minutes_deadline_extended': 'Scadenza del verbale prorogata',
  'meeting.change_rejected': 'Modifica rifiutata dal processo',
  'meeting.delegate_withdrawn': 'Delega ritirata',
};

const hhmm = (d: Date | null) => (d ? formatTime(d.toISOString()) : '');

export async function sedutaData(
  db: Database,
  id: string,
  now: number,
  publicBaseUrl: string,
  form?: FormState,
  done?: string,
) {
  const meeting = await meetingView(db, id);
  const row = await db.meeting.findUniqueOrThrow({ where: { id } });
  const [roll, audit, messages] = await Promise.all([
    rollCall(db, id),
    db.auditEvent.findMany({
      where: { entity: 'meeting', entityId: id },
      orderBy: { at: 'desc' },
      take: 300,
    }),
    db.outboxMessage.findMany({
      where: { idempotencyKey: { contains: id } },
      orderBy: { createdAt: 'desc' },
      take: 500,
      select: {
        kind: true,
        recipientName: true,
        recipientEmail: true,
        subject: true,
        status: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
      },
    }),
  ]);
  const status = meeting.status;
  const started = row.startsAt.getTime() <= now;
  const ended = row.endsAt.getTime() <= now;
  const open = status === 'planned' || status === 'convened';
  const can = {
    editAgenda: status === 'planned',
    addItems:
      status === 'planned' || (status === 'convened' && row.startsAt.getTime() - now >= ADDENDUM_NOTICE_MS),
    attach: open,
    release: status === 'planned',
    move: open,
    rollCall: (status === 'convened' || status === 'held') && started,
    uploadMinutes: (status === 'convened' || status === 'held') && ended && !meeting.verbale?.approvedAt,
    approveMinutes:
      (status === 'convened' || status === 'held') &&
      !!meeting.verbale?.document &&
      !meeting.verbale.approvedAt,
    extendMinutes: status === 'held' && !!meeting.verbale && !meeting.verbale.submittedAt,
  };
  const errors = (section: string) => {
    if (form?.section !== section) return {};
    // The operation speaks of instants; the form of Sposta shows them as a day and an end time.
    if (section !== 'sposta') return form.fields;
    const { startsAt, endsAt, ...fields } = form.fields;
    return { ...(startsAt ? { day: startsAt } : {}), ...(endsAt ? { endTime: endsAt } : {}), ...fields };
  };
  const values = (section: string) => (form?.section === section ? form.values : {});
  const typed = values('appello');

  // The Cabina di Regia's roll call reads by organisation (ATS, ASST, the comuni...): rows sorted and headed
  // by it (groupStart on the first row of each).
  const byOrganisation = meeting.body.kind === 'cabina_di_regia';
  const lines = byOrganisation
    ? [...roll.lines].sort((a, b) => a.organisation.localeCompare(b.organisation, 'it'))
    : roll.lines;
  const rollLines = lines.map((line, i) => {
    const groupStart =
      byOrganisation && (i === 0 || lines[i - 1]!.organisation !== line.organisation)
        ? line.organisation
        : null;
    const personId = line.holder.id;
    const fromAnswer: AttendanceStatus | undefined =
      line.answer?.status === 'present'
        ? 'present'
        : line.answer?.status === 'delegate'
          ? 'delegate'
          : undefined;
    const current =
      (typed[`stato-${personId}`] as AttendanceStatus | undefined) ??
      line.recorded?.status ??
      fromAnswer ??
      'absent';
    const fieldErrors = errors('appello');
    return {
      groupStart,
      personId,
      role: line.role,
      votes: line.votes,
      holder: line.holder.fullName,
      standingDelegate: line.standingDelegate?.fullName ?? null,
      answer: line.answer
        ? `${ANSWER_LABEL[line.answer.status]}${line.answer.delegateName ? `: ${line.answer.delegateName}` : ''}`
        : 'Nessuna risposta',
      recorded: line.recorded ? STATUS_LABEL[line.recorded.status] : null,
      counts: line.recorded?.countsForQuorum ?? false,
      options: (Object.keys(STATUS_LABEL) as AttendanceStatus[]).map((value) => ({
        value,
        label: STATUS_LABEL[value],
        selected: value === current,
      })),
      arrival: typed[`arrivo-${personId}`] ?? hhmm(line.recorded?.arrivedAt ?? null),
      delegateName:
        typed[`delegato-${personId}`] ??
        line.recorded?.delegateName ??
        line.answer?.delegateName ??
        line.standingDelegate?.fullName ??
        '',
      errors: {
        stato: fieldErrors[`stato-${personId}`],
        arrivo: fieldErrors[`arrivo-${personId}`],
        delegato: fieldErrors[`delegato-${personId}`],
      },
    };
  });

  const q = roll.quorum;
  const who = await actorNames(
    db,
    audit.map((a) => a.actor),
  );
  const history = [
    ...audit.map((a) => ({
      at: a.at,
      what: ACTION_LABEL[a.action] ?? a.action,
      detail: detailOf(a.data),
      who: who(a.actor),
    })),
    ...messages.map((m) => ({
      at: m.sentAt ?? m.createdAt,
      what: `${kindLabel(m.kind)} a ${m.recipientName ?? m.recipientEmail}`,
      detail: `${DELIVERY[m.status]}${m.lastError ? `: ${m.lastError}` : ''}`,
      who: m.recipientEmail,
      failed: m.status === 'failed',
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());

  return {
    // The day it is held (a rescheduled session keeps its planned date as its key), as people read it.
    title: `${meeting.body.name}: seduta di ${formatDate(row.startsAt.toISOString(), 'it')}`,
    meeting,
    statusLabel: MEETING_STATUS[status],
    answersLink: `${publicBaseUrl.replace(/\/$/, '')}/riunioni/${id}`,
    can,
    done,
    form,
    refused: refusal(form, new Map(roll.lines.map((line) => [line.holder.id, line.holder.fullName]))),
    errors: {
      odg: errors('odg'),
      sposta: errors('sposta'),
      annulla: errors('annulla'),
      verbale: errors('verbale'),
      proroga: errors('proroga'),
      ...Object.fromEntries(meeting.agenda.map((a) => [`punto-${a.id}`, errors(`punto-${a.id}`)])),
    },
    values: {
      odg: values('odg'),
      sposta: values('sposta'),
      annulla: values('annulla'),
      proroga: values('proroga'),
    },
    agenda: meeting.agenda.map((a, i, all) => ({
      ...a,
      ids: { title: `titolo-${a.id}`, description: `descrizione-${a.id}` },
      first: i === 0,
      last: i === all.length - 1,
      errors: errors(`punto-${a.id}`),
      values:
        form?.section === `punto-${a.id}`
          ? form.values
          : { title: a.title, description: a.description ?? '' },
    })),
    answers: {
      invited: roll.invited,
      answered: roll.answered,
      rows: meeting.invitations.map((i) => ({
        fullName: i.fullName,
        answer: i.answer ? ANSWER_LABEL[i.answer] : null,
        delegateName: i.delegateName,
        answeredAt: i.answeredAt,
      })),
    },
    roll: rollLines,
    quorum: q && {
      valid: q.valid,
      text:
        `${q.counted} seggi su ${q.seats} presenti o validamente rappresentati; ne servono ${q.required}: ` +
        (q.valid ? 'quorum raggiunto.' : `mancano ${-q.margin} seggi.`),
    },
    history,
  };
}

/**
 * Who an audit row names, as a person reads it: "person:<id>" (and "/token:<name>") becomes the person's
 * name, a workflow "processo automatico"; anything else stays as stored.
 */
async function actorNames(db: Database, actors: string[]) {
  const idOf = (actor: string) => /^person:([0-9a-f-]{36})(?:\/token:(.*))?$/.exec(actor);
  const ids = [...new Set(actors.map((a) => idOf(a)?.[1]).filter((id): id is string => !!id))];
  const people = await db.person.findMany({
    where: { id: { in: ids } },
    select: { id: true, fullName: true },
  });
  const names = new Map(people.map((p) => [p.id, p.fullName]));
  return (actor: string) => {
    if (actor.startsWith('workflow:')) return 'processo automatico';
    const [, id, token] = idOf(actor) ?? [];
    const name = id && names.get(id);
    if (!name) return actor;
    return token ? `${name} (token API «${token}»)` : name;
  };
}

/** A short human detail from an audit payload: a reason, a title, a file name. */
function detailOf(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const d = data as Record<string, unknown>;
  for (const key of ['reason', 'title', 'name']) {
    if (typeof d[key] === 'string') return d[key];
  }
  // Dates as the rest of the page writes them, not as stored.
  if (typeof d.dueDate === 'string') return `scadenza ${formatDate(d.dueDate, 'it')}`;
  if (typeof d.startsAt === 'string') return formatDateTime(d.startsAt, 'it');
  return '';
}
