/**
 * The Ambito Distrettuale Cremasco: its 48 comuni with the spellings found in the sources, the 6 sub-ambiti
 * with their lead comuni and dated membership, the organisations of the 2018 agreement, and local feasts.
 */
import { CREMA_LOCAL_FEASTS } from '../../domain/holidays';
import type { Prisma } from '../client';
import type { Territory } from './data';
import { AGREEMENT_START, comuneOrganisationName, type DistrictKeys } from './keys';

type Tx = Prisma.TransactionClient;

export interface SeededTerritory {
  ambitoId: string;
  /** Comune name -> id. */
  comuni: Map<string, string>;
  /** Sub-ambito number -> id, lead comune name and member comuni names. */
  subAmbiti: Map<number, { id: string; lead: string; members: string[] }>;
  /** Organisation name, as in the original district -> id. */
  organisations: Map<string, string>;
}

/** Organisations named by the 2018 agreement besides the comuni (000 Art.3, Art.8, Art.9, Art.7 L379-385). */
const OTHER_ORGANISATIONS: {
  name: string;
  kind: Prisma.OrganisationCreateManyInput['kind'];
  category?: string;
  aboveAmbito?: true;
}[] = [
  { name: 'ATS Val Padana', kind: 'ats', aboveAmbito: true },
  { name: 'ASST Crema', kind: 'asst' },
  { name: 'Comunità Sociale Cremasca a.s.c.', kind: 'csc' },
  { name: 'Associazioni di volontariato aderenti', kind: 'terzo_settore', category: 'volontariato' },
  { name: 'Cooperative sociali aderenti', kind: 'terzo_settore', category: 'cooperative sociali' },
  { name: 'Enti di promozione sociale aderenti', kind: 'terzo_settore', category: 'promozione sociale' },
  {
    name: "Enti dell'area sociale ed educativa delle Diocesi",
    kind: 'terzo_settore',
    category: 'enti diocesani',
  },
  { name: 'Istituzioni scolastiche del territorio', kind: 'scuola', category: 'scuole' },
  { name: 'Forum Cremasco del Terzo Settore', kind: 'terzo_settore', category: 'forum' },
  { name: 'ConfCooperative', kind: 'terzo_settore', category: 'centrale cooperativa' },
  { name: 'Organizzazioni Sindacali', kind: 'sindacato' },
];

export const CSC = 'Comunità Sociale Cremasca a.s.c.';
export const ATS = 'ATS Val Padana';
export const ASST = 'ASST Crema';

export async function seedTerritory(
  tx: Tx,
  territory: Territory,
  keys: DistrictKeys,
): Promise<SeededTerritory> {
  await tx.ambito.createMany({
    data: [{ code: keys.ambitoCode, name: keys.ambitoName(territory.ambito.name) }],
    skipDuplicates: true,
  });
  const ambito = await tx.ambito.findUniqueOrThrow({ where: { code: keys.ambitoCode } });
  const ambitoId = ambito.id;

  const names = territory.subAmbiti.flatMap((s) => s.comuni);
  if (new Set(names).size !== names.length)
    throw new Error('Un comune compare in più sub-ambiti nei dati di seed.');
  await tx.comune.createMany({ data: names.map((name) => ({ ambitoId, name })), skipDuplicates: true });
  const comuni = new Map(
    (await tx.comune.findMany({ where: { ambitoId, name: { in: names } } })).map(
      (c) => [c.name, c.id] as const,
    ),
  );
  const comuneId = (name: string) => {
    const id = comuni.get(name);
    if (!id) throw new Error(`Comune sconosciuto nei dati di seed: ${name}`);
    return id;
  };

  await tx.comuneAlias.createMany({
    data: Object.entries(territory.aliases).flatMap(([name, aliases]) =>
      aliases.map((alias) => ({ comuneId: comuneId(name), alias })),
    ),
    skipDuplicates: true,
  });

  await tx.subAmbito.createMany({
    data: territory.subAmbiti.map((s) => ({
      ambitoId,
      number: s.number,
      name: `Sub-ambito ${s.number}`,
      leadComuneId: comuneId(s.referente),
    })),
    skipDuplicates: true,
  });
  const subAmbitoRows = await tx.subAmbito.findMany({ where: { ambitoId } });
  const subAmbiti = new Map(
    territory.subAmbiti.map((s) => {
      const row = subAmbitoRows.find((r) => r.number === s.number)!;
      return [s.number, { id: row.id, lead: s.referente, members: s.comuni }] as const;
    }),
  );
  await tx.subAmbitoMembership.createMany({
    data: territory.subAmbiti.flatMap((s) =>
      s.comuni.map((name) => ({
        subAmbitoId: subAmbiti.get(s.number)!.id,
        comuneId: comuneId(name),
        validFrom: AGREEMENT_START,
      })),
    ),
    skipDuplicates: true,
  });

  // Body specs name organisations as in the original district; a copy stores its own under other names.
  const organisationSpecs: (Omit<Prisma.OrganisationCreateManyInput, 'ambitoId'> & {
    aboveAmbito?: true;
  })[] = [
    ...names.map((name) => ({
      kind: 'comune' as const,
      name: comuneOrganisationName(name),
      comuneId: comuneId(name),
      isEnteCapofila: name === territory.ambito.enteCapofila,
    })),
    ...OTHER_ORGANISATIONS.map((o) => ({
      kind: o.kind,
      name: o.name,
      category: o.category ?? null,
      ...(o.aboveAmbito ? { aboveAmbito: o.aboveAmbito } : {}),
    })),
  ];
  const storedName = (o: { name: string; aboveAmbito?: true }) =>
    o.aboveAmbito ? o.name : keys.organisationName(o.name);
  await tx.organisation.createMany({
    data: organisationSpecs.map(({ aboveAmbito, ...o }) => ({
      ...o,
      ambitoId: aboveAmbito ? null : ambitoId,
      name: storedName({ name: o.name, aboveAmbito }),
    })),
    skipDuplicates: true,
  });
  const stored = new Map(
    (await tx.organisation.findMany({ where: { name: { in: organisationSpecs.map(storedName) } } })).map(
      (o) => [o.name, o.id] as const,
    ),
  );
  const organisations = new Map(
    organisationSpecs.flatMap((o) => {
      const id = stored.get(storedName(o));
      return id ? [[o.name, id] as const] : [];
    }),
  );

  await tx.localFeastDay.createMany({
    data: CREMA_LOCAL_FEASTS.map((f) => ({
      ambitoId,
      comuneId: comuneId('Crema'),
      month: f.month,
      day: f.day,
      name: f.name,
    })),
    skipDuplicates: true,
  });

  return { ambitoId, comuni, subAmbiti, organisations };
}
