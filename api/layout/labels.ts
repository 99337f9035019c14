/** How the stored states read in Italian, on every page and in the API's messages. */
import type {
  DeliverableEventKind,
  DeliverableKind,
  DeliverableStage,
  DeliverableStatus,
  MeetingStatus,
  VerbaleStatus,
} from '../../prisma/client';

export const MEETING_STATUS: Record<MeetingStatus, string> = {
  planned: 'in programma',
  convened: 'convocata',
  held: 'tenuta',
  closed: 'conclusa',
  cancelled: 'annullata',
};

export const VERBALE_STATUS: Record<VerbaleStatus, string> = {
  draft: 'caricato, in attesa di approvazione',
  circulated: 'trasmesso ai componenti',
  approved: 'approvato',
  published: 'pubblicato',
};

export const DELIVERABLE_KIND: Record<DeliverableKind, string> = {
  piano_operativo: 'Piano Operativo',
  report_annuale: 'Report annuale',
  aggiornamento_semestrale: 'Aggiornamento semestrale',
};

export const STAGE: Record<DeliverableStage, string> = {
  udp_draft: "bozza dell'Ufficio di Piano",
  cr_review: 'esame del Comitato Ristretto',
  ads_approval: "approvazione dell'Assemblea dei Sindaci",
  completed: 'concluso',
};

export const DELIVERABLE_STATUS: Record<DeliverableStatus, string> = {
  open: 'aperto',
  submitted: 'presentato',
  approved: 'approvato',
  waived: 'non dovuto (esonero)',
};

export const DELIVERABLE_EVENT: Record<DeliverableEventKind, string> = {
  created: 'creato',
  stage_changed: 'cambio di fase',
  submitted: 'presentato',
  approved: 'approvato',
  deadline_extended: 'scadenza prorogata',
  waived: 'esonero',
  reminded: 'promemoria inviato',
  escalated: 'sollecito',
};
