/**
 * What each message kind needs to be rendered. Validated before rendering so that a missing date or a
 * malformed link is a clear error at enqueue time, never a half-empty e-mail in a mayor's inbox.
 */
import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });
const url = z.url({ protocol: /^https?$/ });
const text = z.string().trim().min(1).max(2000);

export const Document = z.object({ title: text, url });
export const AgendaItem = z.object({
  title: text,
  description: z.string().trim().max(4000).optional(),
  documents: z.array(Document).default([]),
});

export const Meeting = z
  .object({
    /** "Comitato Ristretto", "Assemblea dei Sindaci", ... */
    bodyName: text,
    title: z.string().trim().max(300).optional(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    place: z.string().trim().max(500).optional(),
    onlineUrl: url.optional(),
    urgent: z.boolean().default(false),
  })
  .refine((m) => m.place || m.onlineUrl, {
    message: 'luogo o collegamento online obbligatorio / place or online link required',
  });

export const AnswerLinks = z.object({ present: url, absent: url, delegate: url });

/** Who signs the message: the convener or the office acting for them. */
export const Sender = z.object({ name: text, role: z.string().trim().max(200).optional() });

const base = {
  district: text,
  recipient: z.object({ name: text }),
  sender: Sender,
};

export const TemplateData = {
  convocation: z.object({
    ...base,
    meeting: Meeting,
    agenda: z.array(AgendaItem).min(1),
    /** The rule the convocation rests on, e.g. "Accordo di Programma 2018, art. 7". */
    legalBasis: text,
    answerLinks: AnswerLinks,
  }),
  agendaAddendum: z.object({
    ...base,
    meeting: Meeting,
    /** Items added, numbered after the existing ones. */
    firstNumber: z.number().int().min(1),
    addedItems: z.array(AgendaItem).min(1),
    legalBasis: text,
  }),
  reschedule: z.object({
    ...base,
    meeting: Meeting,
    previousStartsAt: isoInstant,
    reason: z.string().trim().max(1000).optional(),
    answerLinks: AnswerLinks,
  }),
  cancellation: z.object({ ...base, meeting: Meeting, reason: z.string().trim().max(1000).optional() }),
  /** To a one-meeting delegate whose delegator named someone else, or now answers for themselves. */
  delegationWithdrawn: z.object({ ...base, meeting: Meeting, delegator: z.object({ name: text }) }),
  answerReminder: z.object({ ...base, meeting: Meeting, answerLinks: AnswerLinks }),
  /** To the convener and the segreteria, a few working days before the convocation leaves by itself. */
  agendaPreparation: z.object({
    ...base,
    meeting: Meeting,
    convocationAt: isoInstant,
    /** Items the office has put on the agenda so far; 0: only the default items would be sent. */
    agendaItems: z.number().int().min(0),
    meetingUrl: url,
  }),
  minutesRequest: z.object({ ...base, meeting: Meeting, dueAt: isoInstant, uploadUrl: url }),
  minutesCirculation: z.object({
    ...base,
    meeting: Meeting,
    minutesUrl: url,
    approvedAt: isoInstant.optional(),
  }),
  deliverableReminder: z.object({
    ...base,
    deliverable: z.object({ title: text, stage: text, dueAt: isoInstant, url }),
    daysLeft: z.number().int().min(0),
  }),
  escalation: z.object({
    ...base,
    /** What is late: a deliverable stage or a meeting's minutes. */
    overdue: z.object({ title: text, dueAt: isoInstant, url }),
    daysLate: z.number().int().min(1),
    level: z.number().int().min(1).max(9),
    levelLabel: text,
    alsoNotified: z.array(text),
  }),
  /** A single-use sign-in link (the person asked for it on the sign-in page). */
  signInLink: z.object({ ...base, link: url, expiresAt: isoInstant }),
  cabinaInvitation: z.object({
    ...base,
    meeting: Meeting,
    agenda: z.array(AgendaItem).min(1),
    /** The agency convening, e.g. "ATS Val Padana"; the message is sent on its behalf. */
    onBehalfOf: text,
    legalBasis: text,
    answerLinks: AnswerLinks,
  }),
} as const;

export type TemplateKind = keyof typeof TemplateData;
export const TEMPLATE_KINDS = Object.keys(TemplateData) as TemplateKind[];
export type TemplateInput<K extends TemplateKind> = z.input<(typeof TemplateData)[K]>;
/** Template data after `TemplateData[kind].parse`: what the templates are rendered from. */
export type TemplateOutput<K extends TemplateKind> = z.output<(typeof TemplateData)[K]>;
