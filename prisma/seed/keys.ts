/** Natural keys and dates shared by the seed modules. */

/** "Rivolta d'Adda" -> "rivolta-d-adda": stable codes and e-mail local parts from Italian names. */
export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The 2018 Accordo di Programma took effect on 1 July 2018 (000 Art.19 L1018-1020). */
export const AGREEMENT_START = new Date('2018-07-01T00:00:00Z');

export const AMBITO_CODE = 'cremasco';

export const comuneOrganisationName = (comune: string) => `Comune di ${comune}`;
