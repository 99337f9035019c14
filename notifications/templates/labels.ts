/** What each kind of message is, in the words the pages use (the Seduta's history of messages). */
import type { TemplateKind } from './data';

export const KIND_LABEL: Record<TemplateKind, string> = {
  convocation: 'Convocazione',
  agendaAddendum: 'Integrazione dell’ordine del giorno',
  reschedule: 'Spostamento della seduta',
  cancellation: 'Annullamento della seduta',
  delegationWithdrawn: 'Delega ritirata',
  answerReminder: 'Promemoria di risposta',
  agendaPreparation: 'Richiesta dell’ordine del giorno',
  minutesRequest: 'Richiesta del verbale',
  minutesCirculation: 'Trasmissione del verbale',
  deliverableReminder: 'Promemoria di scadenza',
  escalation: 'Sollecito',
  signInLink: 'Collegamento di accesso',
  cabinaInvitation: 'Convocazione della Cabina di Regia',
};

/** The label of a stored message's kind; a kind no template has any more shows as stored. */
export const kindLabel = (kind: string): string => KIND_LABEL[kind as TemplateKind] ?? kind;
