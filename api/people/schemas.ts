/**
 * What a person is made of when the Ufficio di Piano enters one: the same schema for the JSON routes, the
 * page's forms and each row of an imported spreadsheet, so all three refuse the same values with the same
 * Italian messages.
 */
import { z } from 'zod';

const MAX_EMAIL = 254;

/** An address as people type it: spaces trimmed, lower case (addresses are matched case-insensitively). */
export const EmailAddress = z
  .string({ message: 'indicare l’indirizzo e-mail' })
  .trim()
  .toLowerCase()
  .min(1, { message: 'indicare l’indirizzo e-mail' })
  .max(MAX_EMAIL, { message: `al massimo ${MAX_EMAIL} caratteri` })
  .pipe(z.email({ message: 'indirizzo e-mail non valido' }));

/** A PEC address, or nothing (empty means none). */
export const OptionalPec = z
  .string({ message: 'indirizzo PEC non valido' })
  .trim()
  .max(MAX_EMAIL, { message: `al massimo ${MAX_EMAIL} caratteri` })
  .transform((v) => (v === '' ? null : v.toLowerCase()))
  .pipe(z.email({ message: 'indirizzo PEC non valido' }).nullable());

export const FullName = z
  .string({ message: 'indicare nome e cognome' })
  .trim()
  .min(2, { message: 'indicare nome e cognome' })
  .max(200, { message: 'al massimo 200 caratteri' });

export const PersonInput = z
  .object({
    fullName: FullName,
    email: EmailAddress,
    pecEmail: OptionalPec.nullish().transform((v) => v ?? null),
    organisationId: z.uuid({ message: 'scegliere l’organizzazione o il comune' }),
  })
  .strict();
export type PersonInput = z.infer<typeof PersonInput>;

export const PersonParams = z
  .object({ personId: z.uuid({ message: "atteso l'identificativo (UUID) di una persona" }) })
  .strict();

export const PeopleQuery = z
  .object({
    ambito: z.string().trim().min(1).optional(),
    q: z.string().trim().max(100, { message: 'al massimo 100 caratteri' }).optional(),
    segnaposto: z.enum(['si', 'no'], { message: 'atteso «si» o «no»' }).optional(),
  })
  .strict();
export type PeopleQuery = z.infer<typeof PeopleQuery>;

export const AmbitoQuery = z.object({ ambito: z.string().trim().min(1).optional() }).strict();
