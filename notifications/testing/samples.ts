/**
 * Realistic data for every message kind (Cremasco names and places), used by the tests and the benchmark.
 */
import type { TemplateInput, TemplateKind } from '../templates/data';

const district = 'Ambito Distrettuale Cremasco';
const sender = { name: 'Ufficio di Piano', role: 'Comune di Crema, ente capofila' };
const recipient = { name: "Sindaco di Sergnano, Gianluigi D'Ambrosio" };
const meeting = {
  bodyName: 'Comitato Ristretto',
  startsAt: '2027-03-09T17:00:00.000Z',
  endsAt: '2027-03-09T19:00:00.000Z',
  place: 'Sala degli Ostaggi, Palazzo Comunale, Piazza Duomo 25, Crema',
  onlineUrl: 'https://meet.example.org/comitato-ristretto',
};
const answerLinks = {
  present: 'https://governance.example.org/risposta/TOKEN?scelta=presente',
  absent: 'https://governance.example.org/risposta/TOKEN?scelta=assente',
  delegate: 'https://governance.example.org/risposta/TOKEN?scelta=delegato',
};
const agenda = [
  {
    title: 'Piano Operativo 2028: esame della bozza',
    documents: [
      { title: 'Bozza Piano Operativo 2028', url: 'https://governance.example.org/documenti/po-2028.pdf' },
    ],
  },
  { title: 'Report annuale 2026: calendario dei lavori', documents: [] },
  { title: 'Varie ed eventuali', documents: [] },
];

export const SAMPLES: { [K in TemplateKind]: TemplateInput<K> } = {
  convocation: {
    district,
    sender,
    recipient,
    meeting,
    agenda,
    legalBasis: 'Accordo di Programma 2018-2020, art. 7',
    answerLinks,
  },
  agendaAddendum: {
    district,
    sender,
    recipient,
    meeting,
    firstNumber: 4,
    addedItems: [
      {
        title: 'Fondo Non Autosufficienze: riparto',
        documents: [
          { title: 'Proposta di riparto', url: 'https://governance.example.org/documenti/fna.pdf' },
        ],
      },
    ],
    legalBasis: 'Accordo di Programma 2018-2020, art. 7',
  },
  reschedule: {
    district,
    sender,
    recipient,
    meeting: { ...meeting, startsAt: '2027-03-16T17:00:00.000Z', endsAt: '2027-03-16T19:00:00.000Z' },
    previousStartsAt: meeting.startsAt,
    reason: 'concomitanza con il Consiglio comunale di Crema',
    answerLinks,
  },
  cancellation: { district, sender, recipient, meeting, reason: 'mancanza di argomenti urgenti' },
  delegationWithdrawn: { district, sender, recipient, meeting, delegator: { name: 'Gianluigi D’Ambrosio' } },
  answerReminder: { district, sender, recipient, meeting, answerLinks },
  agendaPreparation: {
    district,
    sender,
    recipient: { name: 'Coordinatrice del Comitato Ristretto' },
    meeting,
    convocationAt: '2027-03-03T08:00:00.000Z',
    agendaItems: 0,
    meetingUrl: 'https://governance.example.org/sedute/42',
  },
  minutesRequest: {
    district,
    sender,
    recipient: { name: 'Segretaria verbalizzante, Laura Bianchi' },
    meeting,
    dueAt: '2027-03-24T23:00:00.000Z',
    uploadUrl: 'https://governance.example.org/sedute/42/verbale',
  },
  minutesCirculation: {
    district,
    sender,
    recipient,
    meeting,
    minutesUrl: 'https://governance.example.org/sedute/42/verbale.pdf',
    approvedAt: '2027-04-13T16:00:00.000Z',
  },
  deliverableReminder: {
    district,
    sender,
    recipient: { name: 'Responsabile Ufficio di Piano' },
    deliverable: {
      title: 'Report annuale 2026',
      stage: 'bozza UdP',
      dueAt: '2027-03-31T22:00:00.000Z',
      url: 'https://governance.example.org/adempimenti/report-2026',
    },
    daysLeft: 7,
  },
  escalation: {
    district,
    sender,
    recipient: { name: 'Presidente dell’Assemblea dei Sindaci' },
    overdue: {
      title: 'Report annuale 2026',
      dueAt: '2027-04-30T22:00:00.000Z',
      url: 'https://governance.example.org/adempimenti/report-2026',
    },
    daysLate: 12,
    level: 3,
    levelLabel: 'Presidente dell’Assemblea e Sovraintendenza',
    alsoNotified: ['Responsabile Ufficio di Piano', 'Coordinatore del Comitato Ristretto'],
  },
  signInLink: {
    district,
    sender: { name: 'Ufficio di Piano' },
    recipient: { name: 'Sindaco di Sergnano' },
    link: 'https://governance.example.org/accesso/link/gl_esempio',
    expiresAt: '2027-03-09T17:15:00Z',
  },
  cabinaInvitation: {
    district,
    sender: { name: 'Ufficio di Piano, per conto di ATS Val Padana' },
    recipient: { name: 'Direttore Sociosanitario ASST Crema' },
    meeting: {
      ...meeting,
      bodyName: 'Cabina di Regia Integrata',
      place: 'ATS Val Padana, Via San Sebastiano 14, Cremona',
    },
    agenda,
    onBehalfOf: 'ATS Val Padana',
    legalBasis: 'Accordo di Programma 2018-2020, art. 9',
    answerLinks,
  },
};

/** A word each language's part must contain, per kind: proves both languages rendered. */
export const MARKERS: Record<TemplateKind, { it: string; en: string }> = {
  convocation: { it: 'Ordine del giorno', en: 'Agenda' },
  agendaAddendum: { it: 'integrato', en: 'added to the agenda' },
  reschedule: { it: 'spostata', en: 'has been moved' },
  cancellation: { it: 'annullata', en: 'cancelled' },
  delegationWithdrawn: { it: 'ha ritirato la delega', en: 'withdrawn the delegation' },
  answerReminder: { it: 'non abbiamo ancora ricevuto', en: 'not yet received' },
  agendaPreparation: { it: 'Ordine del giorno da preparare', en: 'Agenda to prepare' },
  minutesRequest: { it: 'caricare il verbale', en: 'upload the minutes' },
  minutesCirculation: { it: 'trasmettiamo il verbale', en: 'find the minutes' },
  deliverableReminder: { it: 'mancano 7 giorni', en: '7 days left' },
  escalation: { it: 'in ritardo di 12 giorni', en: '12 days late' },
  signInLink: { it: 'vale una sola volta', en: 'works once' },
  cabinaInvitation: { it: 'che la convoca', en: 'which convenes it' },
};
