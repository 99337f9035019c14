/**
 * The columns of the people spreadsheet: the template writes these headers, and a file is read by them
 * (tolerantly: case, accents, punctuation and a note in brackets do not matter, and a few synonyms are
 * accepted), so an office may keep its own column order and headings close to these.
 */
import { z } from 'zod';

export const COLUMNS = [
  {
    key: 'persona',
    header: 'Persona (nome e cognome)',
    synonyms: ['persona', 'nome e cognome', 'nominativo', 'nome'],
    required: true,
    example: ['Mario Rossi', 'Anna Bianchi'],
  },
  {
    key: 'email',
    header: 'E-mail',
    synonyms: ['e-mail', 'email', 'posta elettronica', 'indirizzo e-mail'],
    required: true,
    example: ['sindaco@comune.pandino.cr.it', 'assessore.sociali@comune.pandino.cr.it'],
  },
  {
    key: 'pec',
    header: 'PEC',
    synonyms: ['pec', 'indirizzo pec', 'posta certificata'],
    required: false,
    example: ['protocollo@pec.comune.pandino.cr.it', ''],
  },
  {
    key: 'organizzazione',
    header: 'Organizzazione o comune',
    synonyms: ['organizzazione o comune', 'organizzazione', 'comune', 'ente'],
    required: true,
    example: ['Pandino', 'Comune di Pandino'],
  },
  {
    key: 'seggio',
    header: 'Seggio',
    synonyms: ['seggio', 'ruolo', 'carica'],
    required: false,
    example: ['Sindaco di Pandino', ''],
  },
  {
    key: 'delegato',
    header: 'Delegato permanente (e-mail)',
    synonyms: ['delegato permanente', 'delegato'],
    required: false,
    example: ['assessore.sociali@comune.pandino.cr.it', ''],
  },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]['key'];

export const COLUMN_HEADER = Object.fromEntries(COLUMNS.map((c) => [c.key, c.header])) as Record<
  ColumnKey,
  string
>;

/** At most this many rows in one file: a district's people, with room to spare. */
export const MAX_ROWS = 2000;

/** One row as read from the file: every cell as text, and the line it came from (1 = the header). */
export const ImportRow = z
  .object({
    riga: z.number().int().min(2),
    persona: z.string().max(500),
    email: z.string().max(500),
    pec: z.string().max(500),
    organizzazione: z.string().max(500),
    seggio: z.string().max(500),
    delegato: z.string().max(500),
  })
  .strict();
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportRows = z
  .array(ImportRow)
  .min(1, { message: 'il file non contiene righe da importare' })
  .max(MAX_ROWS, { message: `al massimo ${MAX_ROWS} righe per file` });

/** Lower case, without accents, brackets or punctuation: how headers, comuni and seats are compared. */
export function normalised(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The column a header names, or null for a column the import does not read. */
export function columnOf(header: string): ColumnKey | null {
  const name = normalised(header);
  if (!name) return null;
  const found = COLUMNS.find((c) => c.synonyms.some((s) => normalised(s) === name));
  return found?.key ?? null;
}
