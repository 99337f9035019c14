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

/**
 * The natural keys of one seeded district: the Cremasco itself, or numbered copy n of it (for benchmarks
 * with many districts). A copy gets its own ambito code, organisation names and placeholder addresses, so
 * the unique keys never collide with the original; organisations above the ambito (ATS) stay shared.
 */
export interface DistrictKeys {
  ambitoCode: string;
  ambitoName: (name: string) => string;
  organisationName: (name: string) => string;
  /** Placeholder addresses live on example.org (RFC 2606), which never delivers mail. */
  placeholderEmail: (key: string) => string;
}

export function districtKeys(copy?: number): DistrictKeys {
  const local = (key: string) => key.replace(/:/g, '.');
  if (copy === undefined) {
    return {
      ambitoCode: AMBITO_CODE,
      ambitoName: (name) => name,
      organisationName: (name) => name,
      placeholderEmail: (key) => `${local(key)}@example.org`,
    };
  }
  if (!Number.isInteger(copy) || copy < 1) {
    throw new Error(`Numero di copia non valido: ${copy} (atteso un intero da 1 in su).`);
  }
  return {
    ambitoCode: `${AMBITO_CODE}-${copy}`,
    ambitoName: (name) => `${name} (copia ${copy})`,
    organisationName: (name) => `${name} (copia ${copy})`,
    placeholderEmail: (key) => `${local(key)}+c${copy}@example.org`,
  };
}

export const comuneOrganisationName = (comune: string) => `Comune di ${comune}`;
