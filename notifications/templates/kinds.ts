/**
 * The body of every message kind, Italian and English, HTML and plain text. The shared layout (district
 * name, language order, footer) wraps these in render.ts. Wording follows the register of municipal
 * convocations: formal "Lei", the body's name first, the legal basis stated.
 */
import type { TemplateKind } from './data';

export interface Localized {
  subject: string;
  html: string;
  text: string;
}
export type KindSources = Record<'it' | 'en', Localized>;

const meetingName = '{{meeting.bodyName}}{{#if meeting.title}} – {{meeting.title}}{{/if}}';

export const KINDS: Record<TemplateKind, KindSources> = {
  convocation: {
    it: {
      subject: `Convocazione ${meetingName} – {{dateTime meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>è convocata la seduta {{#if meeting.urgent}}urgente {{/if}}di <strong>${meetingName}</strong>.</p>
{{> facts_it_html}}
<h3>Ordine del giorno</h3>
{{> agenda_html items=agenda start=1}}
<p><small>Convocazione ai sensi di: {{legalBasis}}.</small></p>
{{> answers_it_html}}
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

è convocata la seduta {{#if meeting.urgent}}urgente {{/if}}di ${meetingName}.

{{> facts_it_text}}

ORDINE DEL GIORNO
{{> agenda_text items=agenda start=1}}

Convocazione ai sensi di: {{legalBasis}}.

{{> answers_it_text}}

{{> signature_text}}`,
    },
    en: {
      subject: `Convocation: ${meetingName} – {{dateTime meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>You are invited to the {{#if meeting.urgent}}urgent {{/if}}meeting of <strong>${meetingName}</strong>.</p>
{{> facts_en_html}}
<h3>Agenda</h3>
{{> agenda_html items=agenda start=1}}
<p><small>Convened under: {{legalBasis}}.</small></p>
{{> answers_en_html}}
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

You are invited to the {{#if meeting.urgent}}urgent {{/if}}meeting of ${meetingName}.

{{> facts_en_text}}

AGENDA
{{> agenda_text items=agenda start=1}}

Convened under: {{legalBasis}}.

{{> answers_en_text}}

{{> signature_text}}`,
    },
  },

  agendaAddendum: {
    it: {
      subject: `Integrazione all'ordine del giorno – ${meetingName}, {{date meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>l'ordine del giorno della seduta di <strong>${meetingName}</strong> è integrato con i seguenti punti.</p>
{{> facts_it_html}}
{{> agenda_html items=addedItems start=firstNumber}}
<p><small>Integrazione ai sensi di: {{legalBasis}}.</small></p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

l'ordine del giorno della seduta di ${meetingName} è integrato con i seguenti punti.

{{> facts_it_text}}

{{> agenda_text items=addedItems start=firstNumber}}

Integrazione ai sensi di: {{legalBasis}}.

{{> signature_text}}`,
    },
    en: {
      subject: `Agenda addendum – ${meetingName}, {{date meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>The following items are added to the agenda of the meeting of <strong>${meetingName}</strong>.</p>
{{> facts_en_html}}
{{> agenda_html items=addedItems start=firstNumber}}
<p><small>Added under: {{legalBasis}}.</small></p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

The following items are added to the agenda of the meeting of ${meetingName}.

{{> facts_en_text}}

{{> agenda_text items=addedItems start=firstNumber}}

Added under: {{legalBasis}}.

{{> signature_text}}`,
    },
  },

  reschedule: {
    it: {
      subject: `Seduta spostata – ${meetingName}: ora {{dateTime meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>la seduta di <strong>${meetingName}</strong> prevista per {{dateTime previousStartsAt "it"}} è stata spostata.</p>
{{> facts_it_html}}
{{#if reason}}<p>Motivo: {{reason}}</p>{{/if}}
{{> answers_it_html}}
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

la seduta di ${meetingName} prevista per {{dateTime previousStartsAt "it"}} è stata spostata.

{{> facts_it_text}}

{{#if reason}}Motivo: {{reason}}
{{/if}}
{{> answers_it_text}}

{{> signature_text}}`,
    },
    en: {
      subject: `Meeting moved – ${meetingName}: now {{dateTime meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>The meeting of <strong>${meetingName}</strong> planned for {{dateTime previousStartsAt "en"}} has been moved.</p>
{{> facts_en_html}}
{{#if reason}}<p>Reason: {{reason}}</p>{{/if}}
{{> answers_en_html}}
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

The meeting of ${meetingName} planned for {{dateTime previousStartsAt "en"}} has been moved.

{{> facts_en_text}}

{{#if reason}}Reason: {{reason}}
{{/if}}
{{> answers_en_text}}

{{> signature_text}}`,
    },
  },

  cancellation: {
    it: {
      subject: `Seduta annullata – ${meetingName}, {{dateTime meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>la seduta di <strong>${meetingName}</strong> prevista per {{dateTime meeting.startsAt "it"}} è <strong>annullata</strong>.</p>
{{#if reason}}<p>Motivo: {{reason}}</p>{{/if}}
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

la seduta di ${meetingName} prevista per {{dateTime meeting.startsAt "it"}} è ANNULLATA.
{{#if reason}}
Motivo: {{reason}}
{{/if}}
{{> signature_text}}`,
    },
    en: {
      subject: `Meeting cancelled – ${meetingName}, {{dateTime meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>The meeting of <strong>${meetingName}</strong> planned for {{dateTime meeting.startsAt "en"}} is <strong>cancelled</strong>.</p>
{{#if reason}}<p>Reason: {{reason}}</p>{{/if}}
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

The meeting of ${meetingName} planned for {{dateTime meeting.startsAt "en"}} is CANCELLED.
{{#if reason}}
Reason: {{reason}}
{{/if}}
{{> signature_text}}`,
    },
  },

  delegationWithdrawn: {
    it: {
      subject: `Delega ritirata – ${meetingName}, {{date meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>{{delegator.name}} ha ritirato la delega per la seduta di <strong>${meetingName}</strong> di {{dateTime meeting.startsAt "it"}}.</p>
<p>La sua presenza in rappresentanza di {{delegator.name}} non è più richiesta e la convocazione ricevuta non è più valida; l’appuntamento viene tolto dal suo calendario.</p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

{{delegator.name}} ha ritirato la delega per la seduta di ${meetingName} di {{dateTime meeting.startsAt "it"}}.

La sua presenza in rappresentanza di {{delegator.name}} non è più richiesta e la convocazione ricevuta non è più valida; l’appuntamento viene tolto dal suo calendario.

{{> signature_text}}`,
    },
    en: {
      subject: `Delegation withdrawn – ${meetingName}, {{date meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>{{delegator.name}} has withdrawn the delegation for the meeting of <strong>${meetingName}</strong> on {{dateTime meeting.startsAt "en"}}.</p>
<p>You are no longer expected on their behalf and the convocation you received no longer applies; the event is removed from your calendar.</p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

{{delegator.name}} has withdrawn the delegation for the meeting of ${meetingName} on {{dateTime meeting.startsAt "en"}}.

You are no longer expected on their behalf and the convocation you received no longer applies; the event is removed from your calendar.

{{> signature_text}}`,
    },
  },

  answerReminder: {
    it: {
      subject: `Promemoria: conferma la partecipazione – ${meetingName}, {{date meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>non abbiamo ancora ricevuto la sua risposta per la seduta di <strong>${meetingName}</strong>.</p>
{{> facts_it_html}}
{{> answers_it_html}}
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

non abbiamo ancora ricevuto la sua risposta per la seduta di ${meetingName}.

{{> facts_it_text}}

{{> answers_it_text}}

{{> signature_text}}`,
    },
    en: {
      subject: `Reminder: please confirm – ${meetingName}, {{date meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>We have not yet received your answer for the meeting of <strong>${meetingName}</strong>.</p>
{{> facts_en_html}}
{{> answers_en_html}}
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

We have not yet received your answer for the meeting of ${meetingName}.

{{> facts_en_text}}

{{> answers_en_text}}

{{> signature_text}}`,
    },
  },

  agendaPreparation: {
    it: {
      subject: `Ordine del giorno da preparare – ${meetingName}, {{date meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p><strong>Ordine del giorno da preparare:</strong> la convocazione della seduta di <strong>${meetingName}</strong> partirà il {{dateTime convocationAt "it"}}.</p>
{{> facts_it_html}}
<p>{{#if agendaItems}}Finora l'ordine del giorno ha {{agendaItems}} punti.{{else}}Finora l'ordine del giorno contiene solo i punti predefiniti (comunicazioni, varie ed eventuali).{{/if}} Dalla pagina della seduta può aggiungere i punti e i documenti e inviare la convocazione; altrimenti partirà da sola a quella data con l'ordine del giorno presente.</p>
<p><a href="{{meetingUrl}}">Apri la seduta</a></p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

Ordine del giorno da preparare: la convocazione della seduta di ${meetingName} partirà il {{dateTime convocationAt "it"}}.

{{> facts_it_text}}

{{#if agendaItems}}Finora l'ordine del giorno ha {{agendaItems}} punti.{{else}}Finora l'ordine del giorno contiene solo i punti predefiniti (comunicazioni, varie ed eventuali).{{/if}} Dalla pagina della seduta può aggiungere i punti e i documenti e inviare la convocazione; altrimenti partirà da sola a quella data con l'ordine del giorno presente.

Apri la seduta: {{meetingUrl}}

{{> signature_text}}`,
    },
    en: {
      subject: `Agenda to prepare – ${meetingName}, {{date meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p><strong>Agenda to prepare:</strong> the convocation of the meeting of <strong>${meetingName}</strong> will be sent on {{dateTime convocationAt "en"}}.</p>
{{> facts_en_html}}
<p>{{#if agendaItems}}The agenda has {{agendaItems}} items so far.{{else}}So far the agenda holds only the default items (announcements, any other business).{{/if}} From the meeting's page you can add items and documents and send the convocation; otherwise it leaves by itself on that date with the agenda as it stands.</p>
<p><a href="{{meetingUrl}}">Open the meeting</a></p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

Agenda to prepare: the convocation of the meeting of ${meetingName} will be sent on {{dateTime convocationAt "en"}}.

{{> facts_en_text}}

{{#if agendaItems}}The agenda has {{agendaItems}} items so far.{{else}}So far the agenda holds only the default items (announcements, any other business).{{/if}} From the meeting's page you can add items and documents and send the convocation; otherwise it leaves by itself on that date with the agenda as it stands.

Open the meeting: {{meetingUrl}}

{{> signature_text}}`,
    },
  },

  minutesRequest: {
    it: {
      subject: `Richiesta del verbale – ${meetingName} del {{date meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>le chiediamo di caricare il verbale della seduta di <strong>${meetingName}</strong> del {{dateTime meeting.startsAt "it"}} entro <strong>{{date dueAt "it"}}</strong>.</p>
<p><a href="{{uploadUrl}}">Carica il verbale</a></p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

le chiediamo di caricare il verbale della seduta di ${meetingName} del {{dateTime meeting.startsAt "it"}} entro {{date dueAt "it"}}.

Carica il verbale: {{uploadUrl}}

{{> signature_text}}`,
    },
    en: {
      subject: `Minutes requested – ${meetingName} of {{date meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>Please upload the minutes of the meeting of <strong>${meetingName}</strong> held on {{dateTime meeting.startsAt "en"}} by <strong>{{date dueAt "en"}}</strong>.</p>
<p><a href="{{uploadUrl}}">Upload the minutes</a></p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

Please upload the minutes of the meeting of ${meetingName} held on {{dateTime meeting.startsAt "en"}} by {{date dueAt "en"}}.

Upload the minutes: {{uploadUrl}}

{{> signature_text}}`,
    },
  },

  minutesCirculation: {
    it: {
      subject: `Verbale – ${meetingName} del {{date meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>trasmettiamo il verbale della seduta di <strong>${meetingName}</strong> del {{dateTime meeting.startsAt "it"}}{{#if approvedAt}}, approvato il {{date approvedAt "it"}}{{/if}}.</p>
<p><a href="{{minutesUrl}}">Leggi il verbale</a></p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

trasmettiamo il verbale della seduta di ${meetingName} del {{dateTime meeting.startsAt "it"}}{{#if approvedAt}}, approvato il {{date approvedAt "it"}}{{/if}}.

Leggi il verbale: {{minutesUrl}}

{{> signature_text}}`,
    },
    en: {
      subject: `Minutes – ${meetingName} of {{date meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>Please find the minutes of the meeting of <strong>${meetingName}</strong> held on {{dateTime meeting.startsAt "en"}}{{#if approvedAt}}, approved on {{date approvedAt "en"}}{{/if}}.</p>
<p><a href="{{minutesUrl}}">Read the minutes</a></p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

Please find the minutes of the meeting of ${meetingName} held on {{dateTime meeting.startsAt "en"}}{{#if approvedAt}}, approved on {{date approvedAt "en"}}{{/if}}.

Read the minutes: {{minutesUrl}}

{{> signature_text}}`,
    },
  },

  deliverableReminder: {
    it: {
      subject: `Scadenza: {{deliverable.title}} ({{deliverable.stage}}) entro {{date deliverable.dueAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>le ricordiamo la scadenza di <strong>{{deliverable.title}}</strong>, fase «{{deliverable.stage}}»: <strong>{{date deliverable.dueAt "it"}}</strong>{{#if daysLeft}} (mancano {{daysLeft}} giorni){{else}} (oggi){{/if}}.</p>
<p><a href="{{deliverable.url}}">Apri l'adempimento</a></p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

le ricordiamo la scadenza di {{deliverable.title}}, fase «{{deliverable.stage}}»: {{date deliverable.dueAt "it"}}{{#if daysLeft}} (mancano {{daysLeft}} giorni){{else}} (oggi){{/if}}.

Apri l'adempimento: {{deliverable.url}}

{{> signature_text}}`,
    },
    en: {
      subject: `Due: {{deliverable.title}} ({{deliverable.stage}}) by {{date deliverable.dueAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>A reminder that <strong>{{deliverable.title}}</strong>, stage "{{deliverable.stage}}", is due on <strong>{{date deliverable.dueAt "en"}}</strong>{{#if daysLeft}} ({{daysLeft}} days left){{else}} (today){{/if}}.</p>
<p><a href="{{deliverable.url}}">Open the deliverable</a></p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

A reminder that {{deliverable.title}}, stage "{{deliverable.stage}}", is due on {{date deliverable.dueAt "en"}}{{#if daysLeft}} ({{daysLeft}} days left){{else}} (today){{/if}}.

Open the deliverable: {{deliverable.url}}

{{> signature_text}}`,
    },
  },

  escalation: {
    it: {
      subject: `Sollecito di livello {{level}}: {{overdue.title}} in ritardo di {{daysLate}} giorni`,
      html: `<p>Gentile {{recipient.name}},</p>
<p><strong>{{overdue.title}}</strong> era atteso entro {{date overdue.dueAt "it"}} ed è in ritardo di <strong>{{daysLate}} giorni</strong>.</p>
<p>Livello di sollecito: {{level}} – {{levelLabel}}.</p>
{{#if alsoNotified.length}}<p>Sono stati informati anche:</p><ul>{{#each alsoNotified}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
<p><a href="{{overdue.url}}">Apri la scadenza</a></p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

{{overdue.title}} era atteso entro {{date overdue.dueAt "it"}} ed è in ritardo di {{daysLate}} giorni.
Livello di sollecito: {{level}} – {{levelLabel}}.
{{#if alsoNotified.length}}Sono stati informati anche:
{{#each alsoNotified}}- {{this}}
{{/each}}{{/if}}
Apri la scadenza: {{overdue.url}}

{{> signature_text}}`,
    },
    en: {
      subject: `Escalation level {{level}}: {{overdue.title}} is {{daysLate}} days late`,
      html: `<p>Dear {{recipient.name}},</p>
<p><strong>{{overdue.title}}</strong> was due on {{date overdue.dueAt "en"}} and is <strong>{{daysLate}} days late</strong>.</p>
<p>Escalation level: {{level}} – {{levelLabel}}.</p>
{{#if alsoNotified.length}}<p>Also informed:</p><ul>{{#each alsoNotified}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
<p><a href="{{overdue.url}}">Open the deadline</a></p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

{{overdue.title}} was due on {{date overdue.dueAt "en"}} and is {{daysLate}} days late.
Escalation level: {{level}} – {{levelLabel}}.
{{#if alsoNotified.length}}Also informed:
{{#each alsoNotified}}- {{this}}
{{/each}}{{/if}}
Open the deadline: {{overdue.url}}

{{> signature_text}}`,
    },
  },

  signInLink: {
    it: {
      subject: 'Accesso al calendario della governance',
      html: `<p>Gentile {{recipient.name}},</p>
<p>per accedere al calendario della governance apra questo collegamento e confermi con il pulsante «Accedi»:</p>
<p><a href="{{link}}">Accedi al calendario della governance</a></p>
<p>Il collegamento vale una sola volta, fino alle {{time expiresAt}}. Se non ha chiesto lei di accedere, ignori questo messaggio: nessuno può entrare senza aprirlo.</p>
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

per accedere al calendario della governance apra questo collegamento e confermi con il pulsante «Accedi»:

{{link}}

Il collegamento vale una sola volta, fino alle {{time expiresAt}}. Se non ha chiesto lei di accedere, ignori questo messaggio: nessuno può entrare senza aprirlo.

{{> signature_text}}`,
    },
    en: {
      subject: 'Sign in to the governance calendar',
      html: `<p>Dear {{recipient.name}},</p>
<p>To sign in to the governance calendar, open this link and confirm with the button:</p>
<p><a href="{{link}}">Sign in to the governance calendar</a></p>
<p>The link works once, until {{time expiresAt}}. If you did not ask to sign in, ignore this message: nobody can sign in without opening it.</p>
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

To sign in to the governance calendar, open this link and confirm with the button:

{{link}}

The link works once, until {{time expiresAt}}. If you did not ask to sign in, ignore this message: nobody can sign in without opening it.

{{> signature_text}}`,
    },
  },

  cabinaInvitation: {
    it: {
      subject: `Convocazione ${meetingName} – per conto di {{onBehalfOf}} – {{dateTime meeting.startsAt "it"}}`,
      html: `<p>Gentile {{recipient.name}},</p>
<p>per conto di <strong>{{onBehalfOf}}</strong>, che la convoca, le trasmettiamo l'invito alla seduta di <strong>${meetingName}</strong>.</p>
{{> facts_it_html}}
<h3>Ordine del giorno</h3>
{{> agenda_html items=agenda start=1}}
<p><small>Convocazione ai sensi di: {{legalBasis}}.</small></p>
{{> answers_it_html}}
{{> signature_html}}`,
      text: `Gentile {{recipient.name}},

per conto di {{onBehalfOf}}, che la convoca, le trasmettiamo l'invito alla seduta di ${meetingName}.

{{> facts_it_text}}

ORDINE DEL GIORNO
{{> agenda_text items=agenda start=1}}

Convocazione ai sensi di: {{legalBasis}}.

{{> answers_it_text}}

{{> signature_text}}`,
    },
    en: {
      subject: `Convocation: ${meetingName} – on behalf of {{onBehalfOf}} – {{dateTime meeting.startsAt "en"}}`,
      html: `<p>Dear {{recipient.name}},</p>
<p>On behalf of <strong>{{onBehalfOf}}</strong>, which convenes it, we invite you to the meeting of <strong>${meetingName}</strong>.</p>
{{> facts_en_html}}
<h3>Agenda</h3>
{{> agenda_html items=agenda start=1}}
<p><small>Convened under: {{legalBasis}}.</small></p>
{{> answers_en_html}}
{{> signature_html}}`,
      text: `Dear {{recipient.name}},

On behalf of {{onBehalfOf}}, which convenes it, we invite you to the meeting of ${meetingName}.

{{> facts_en_text}}

AGENDA
{{> agenda_text items=agenda start=1}}

Convened under: {{legalBasis}}.

{{> answers_en_text}}

{{> signature_text}}`,
    },
  },
};
