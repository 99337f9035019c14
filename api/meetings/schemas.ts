/** Request shapes of the meeting routes; every message reaches a person, so it is Italian. */
import { z } from 'zod';
import { CivilDate, Instant } from '../../domain/index';

export const MeetingParams = z
  .object({ id: z.uuid({ message: "atteso l'identificativo (UUID) della riunione" }) })
  .strict();

const MAX_SESSION_MS = 24 * 3600_000;

/** Start before end, a session of at most one day. */
function withTimes<T extends z.ZodType<{ startsAt: string; endsAt: string }>>(schema: T) {
  return schema
    .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), {
      path: ['endsAt'],
      message: "deve essere successivo all'inizio (startsAt)",
    })
    .refine((v) => Date.parse(v.endsAt) - Date.parse(v.startsAt) <= MAX_SESSION_MS, {
      path: ['endsAt'],
      message: 'una seduta dura al massimo 24 ore',
    });
}

const uuid = (what: string) => z.uuid({ message: `atteso l'identificativo (UUID) ${what}` });

export const ItemParams = z.object({ id: uuid('della riunione'), itemId: uuid('del punto') }).strict();
export const DocumentParams = z
  .object({ id: uuid('della riunione'), documentId: uuid('del documento') })
  .strict();

/** Every item of the agenda, in the new order. */
export const AgendaOrder = z
  .object({ itemIds: z.array(uuid('del punto')).min(1, 'almeno un punto').max(60) })
  .strict();

export const AgendaItemInput = z
  .object({
    title: z.string().trim().min(1, 'il titolo è obbligatorio').max(300),
    description: z.string().trim().max(4000).optional(),
  })
  .strict();

export const CreateMeeting = withTimes(
  z
    .object({
      bodyId: z.uuid({ message: "atteso l'identificativo (UUID) di un organo" }),
      startsAt: Instant,
      endsAt: Instant,
      place: z.string().trim().min(1).max(300).optional(),
      onlineUrl: z
        .url({ protocol: /^https?$/, message: 'atteso un indirizzo http(s)' })
        .max(1000)
        .optional(),
      urgent: z.boolean().default(false),
      agenda: z.array(AgendaItemInput).max(30, 'al massimo 30 punti').default([]),
    })
    .strict(),
).refine((v) => v.place !== undefined || v.onlineUrl !== undefined, {
  path: ['place'],
  message: 'indicare il luogo (place) o il collegamento online (onlineUrl)',
});

export const Reschedule = withTimes(
  z
    .object({
      startsAt: Instant,
      endsAt: Instant,
      reason: z.string().trim().min(1).max(1000).optional(),
    })
    .strict(),
);

const Reason = z.string().trim().min(3, 'indicare il motivo (almeno 3 caratteri)').max(1000);

export const Cancel = z.object({ reason: Reason }).strict();

/** A later due day for the verbale; the reminders and the ladder start over from it. */
export const MinutesExtension = z.object({ dueDate: CivilDate, reason: Reason }).strict();

export const Addendum = z
  .object({
    items: z.array(AgendaItemInput).min(1, 'almeno un punto').max(20, 'al massimo 20 punti'),
  })
  .strict();

/** The roll call's statuses; `absent_justified` counts as absent for the quorum. */
export const AttendanceStatus = z.enum(['present', 'delegate', 'absent', 'absent_justified'], {
  message: 'atteso present, delegate, absent o absent_justified',
});

export const AttendanceEntry = z
  .object({
    personId: z.uuid({ message: "atteso l'identificativo (UUID) di una persona" }),
    status: AttendanceStatus,
    /** Who represented the seat: a name, and the person when they are in the registry. */
    delegateName: z.string().trim().min(1).max(200).optional(),
    delegatePersonId: z.uuid({ message: "atteso l'identificativo (UUID) di una persona" }).optional(),
    /** Arrival after the start (present or delegate only). */
    arrivedAt: Instant.optional(),
  })
  .strict()
  .refine((e) => (e.status === 'delegate') === (e.delegateName !== undefined), {
    path: ['delegateName'],
    message: 'obbligatorio con status delegate, e solo in quel caso',
  })
  .refine((e) => e.status === 'delegate' || e.delegatePersonId === undefined, {
    path: ['delegatePersonId'],
    message: 'solo con status delegate',
  })
  .refine((e) => e.arrivedAt === undefined || e.status === 'present' || e.status === 'delegate', {
    path: ['arrivedAt'],
    message: "l'ora di arrivo vale solo per chi è presente o rappresentato",
  });

export const Attendance = z
  .object({
    entries: z.array(AttendanceEntry).min(1, 'almeno una presenza').max(300),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.entries.forEach((e, i) => {
      if (seen.has(e.personId)) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'personId'], message: 'persona ripetuta' });
      }
      seen.add(e.personId);
    });
  });
