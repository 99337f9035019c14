/**
 * Turns what the database says about a meeting into the data the message templates and calendar invites
 * need (the outbox builds the calendar invite from the same meeting data). Pure, so that what a mayor reads is decided in one place and tested without a mail server.
 */
import type { BodyKind } from '../domain/index';
import type { TemplateInput } from '../notifications/templates/data';

export interface Recipient {
  personId: string;
  name: string;
  email: string;
  pecEmail?: string | null;
}

export interface AgendaEntry {
  title: string;
  description?: string | null;
}

export interface MeetingView {
  id: string;
  bodyId: string;
  bodyName: string;
  bodyKind: BodyKind;
  title?: string | null;
  startsAt: string;
  endsAt: string;
  place?: string | null;
  onlineUrl?: string | null;
  urgent: boolean;
  revision: number;
  agenda: AgendaEntry[];
}

/** The article each body's convocation rests on (Accordo di Programma 2018-2020, shared/seeds/000). */
const LEGAL_BASIS: Record<BodyKind, string> = {
  assemblea_sindaci: 'Accordo di Programma per il Piano di Zona 2018-2020, art. 6',
  comitato_ristretto: 'Accordo di Programma per il Piano di Zona 2018-2020, art. 7',
  udp_nucleo_operativo: 'Accordo di Programma per il Piano di Zona 2018-2020, art. 8',
  udp_coordinamento_tecnico: 'Accordo di Programma per il Piano di Zona 2018-2020, art. 8',
  udp_integrato: 'Accordo di Programma per il Piano di Zona 2018-2020, art. 8',
  assemblea_sub_ambito: 'Accordo di Programma per il Piano di Zona 2018-2020, artt. 11-12',
  cabina_di_regia: 'Accordo di Programma per il Piano di Zona 2018-2020, artt. 9 e 14',
  sovraintendenza: 'Accordo di Programma per il Piano di Zona 2018-2020, art. 20',
};

export function legalBasis(kind: BodyKind): string {
  return LEGAL_BASIS[kind];
}

/** Items every new occurrence starts with, so a convocation always has an agenda the coordinator extends. */
export function defaultAgenda(minutesRequired: boolean): AgendaEntry[] {
  return [
    ...(minutesRequired ? [{ title: 'Approvazione del verbale della seduta precedente' }] : []),
    { title: 'Comunicazioni' },
    { title: 'Varie ed eventuali' },
  ];
}

export function templateMeeting(m: MeetingView) {
  return {
    bodyName: m.bodyName,
    ...(m.title ? { title: m.title } : {}),
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    ...(m.place ? { place: m.place } : {}),
    ...(m.onlineUrl ? { onlineUrl: m.onlineUrl } : {}),
    urgent: m.urgent,
  } satisfies TemplateInput<'convocation'>['meeting'];
}

export function templateAgenda(items: AgendaEntry[]) {
  return items.map((i) => ({ title: i.title, ...(i.description ? { description: i.description } : {}) }));
}
