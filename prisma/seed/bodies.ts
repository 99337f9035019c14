/**
 * Every body of the 2018 Accordo di Programma with the default rules for its kind, its seats as the
 * agreement composes them, and a placeholder person in each seat. Placeholders are marked twice, in the
 * name ("(segnaposto)") and by `isPlaceholder`, and use example.org addresses so nothing can reach a real
 * mailbox before the coordinator enters the real people.
 */
import { BodyRules } from '../../domain/body-rules';
import { DEFAULT_RULES } from '../../domain/defaults';
import type { BodyKind } from '../../domain/kinds';
import type { Prisma } from '../client';
import { AGREEMENT_START, comuneOrganisationName, slug, type DistrictKeys } from './keys';
import { ASST, ATS, CSC, type SeededTerritory } from './territory';

type Tx = Prisma.TransactionClient;

interface PersonSpec {
  /** E-mail local part, the person's natural key. */
  key: string;
  role: string;
  organisation?: string;
}

interface SeatSpec {
  code: string;
  role: string;
  designatedBy: string;
  person: PersonSpec;
}

interface BodySpec {
  code: string;
  kind: BodyKind;
  name: string;
  convenerRole: string;
  convenerOrganisation?: string;
  subAmbitoNumber?: number;
  source: string;
  seats: SeatSpec[];
}

const person = (key: string, role: string, organisation?: string): PersonSpec => ({
  key,
  role,
  organisation,
});

function mayorSeat(comune: string): SeatSpec {
  return {
    code: `sindaco:${slug(comune)}`,
    role: `Sindaco di ${comune}`,
    designatedBy: comuneOrganisationName(comune),
    person: person(`sindaco.${slug(comune)}`, `Sindaco di ${comune}`, comuneOrganisationName(comune)),
  };
}

const RESPONSABILE_UDP: SeatSpec = {
  code: 'responsabile-udp',
  role: "Responsabile dell'Ufficio di Piano",
  designatedBy: 'Comune di Crema',
  person: person('responsabile-udp', "Responsabile dell'Ufficio di Piano", 'Comune di Crema'),
};
const COORDINATORE_UDP: SeatSpec = {
  code: 'coordinatore-udp',
  role: "Coordinatore dell'Ufficio di Piano",
  designatedBy: CSC,
  person: person('coordinatore-udp', "Coordinatore dell'Ufficio di Piano", CSC),
};
const DG_CSC: SeatSpec = {
  code: 'direttore-generale-csc',
  role: 'Direttore Generale di CSC',
  designatedBy: CSC,
  person: person('direttore-generale-csc', 'Direttore Generale di CSC', CSC),
};
const PRESIDENTE_CSC: SeatSpec = {
  code: 'presidente-csc',
  role: 'Presidente di CSC',
  designatedBy: CSC,
  person: person('presidente-csc', 'Presidente di CSC', CSC),
};
const REFERENTE_ASST: SeatSpec = {
  code: 'referente-tecnico-asst',
  role: 'Referente tecnico di ASST Crema',
  designatedBy: ASST,
  person: person('referente-tecnico-asst', 'Referente tecnico di ASST Crema', ASST),
};

/** The five categories of adherents with up to two representatives each in the UdP Integrato (000:L485-495). */
const UDP_INTEGRATO_CATEGORIES: { code: string; label: string; organisation: string }[] = [
  {
    code: 'volontariato',
    label: 'associazioni di volontariato',
    organisation: 'Associazioni di volontariato aderenti',
  },
  { code: 'cooperative-sociali', label: 'cooperative sociali', organisation: 'Cooperative sociali aderenti' },
  {
    code: 'promozione-sociale',
    label: 'enti di promozione sociale',
    organisation: 'Enti di promozione sociale aderenti',
  },
  {
    code: 'enti-diocesani',
    label: 'enti dell’area sociale ed educativa delle Diocesi',
    organisation: "Enti dell'area sociale ed educativa delle Diocesi",
  },
  {
    code: 'scuole',
    label: 'istituzioni scolastiche',
    organisation: 'Istituzioni scolastiche del territorio',
  },
];

function roleSeat(code: string, role: string, designatedBy: string, organisation?: string): SeatSpec {
  return { code, role, designatedBy, person: person(code, role, organisation) };
}

function bodySpecs(territory: SeededTerritory): BodySpec[] {
  const subAmbiti = [...territory.subAmbiti.entries()].sort(([a], [b]) => a - b);
  const allComuni = subAmbiti.flatMap(([, s]) => s.members);
  const technicalCoordinators = subAmbiti.map(([n, s]) =>
    roleSeat(
      `coordinatore-tecnico:sub-ambito-${n}`,
      `Coordinatore tecnico del Sub-ambito ${n}`,
      comuneOrganisationName(s.lead),
      comuneOrganisationName(s.lead),
    ),
  );
  const coordinamentoTecnico = [
    RESPONSABILE_UDP,
    COORDINATORE_UDP,
    ...technicalCoordinators,
    DG_CSC,
    REFERENTE_ASST,
  ];
  const sindacoCrema = mayorSeat('Crema');

  return [
    {
      code: 'assemblea-sindaci',
      kind: 'assemblea_sindaci',
      name: 'Assemblea dei Sindaci',
      convenerRole: "Presidente dell'Assemblea dei Sindaci (Sindaco di Crema)",
      source: 'AdP 2018 art. 6 (000:L260-300), presidenza art. 8 (000:L402-406)',
      seats: allComuni.map(mayorSeat),
    },
    {
      code: 'comitato-ristretto',
      kind: 'comitato_ristretto',
      name: 'Comitato Ristretto',
      convenerRole: 'Referente/coordinatore del Comitato Ristretto',
      source: 'AdP 2018 art. 7 (000:L304-385)',
      seats: [
        ...subAmbiti.flatMap(([n]) =>
          [1, 2].map((i) =>
            roleSeat(
              `rappresentante:sub-ambito-${n}:${i}`,
              `Rappresentante ${i} del Sub-ambito ${n} nel Comitato Ristretto`,
              `Sub-ambito ${n}`,
            ),
          ),
        ),
        RESPONSABILE_UDP,
        COORDINATORE_UDP,
        DG_CSC,
        PRESIDENTE_CSC,
      ],
    },
    {
      code: 'udp-nucleo-operativo',
      kind: 'udp_nucleo_operativo',
      name: 'Ufficio di Piano – Nucleo Operativo',
      convenerRole: "Responsabile dell'Ufficio di Piano",
      source: 'AdP 2018 art. 8 A (000:L446-455)',
      seats: [
        RESPONSABILE_UDP,
        COORDINATORE_UDP,
        roleSeat(
          'operatore-nucleo-operativo',
          'Operatore tecnico-amministrativo del Nucleo Operativo',
          CSC,
          CSC,
        ),
      ],
    },
    {
      code: 'udp-coordinamento-tecnico',
      kind: 'udp_coordinamento_tecnico',
      name: 'Ufficio di Piano – Coordinamento Tecnico',
      convenerRole: "Responsabile dell'Ufficio di Piano",
      source: 'AdP 2018 art. 8 B (000:L457-469), art. 13 (000:L755-761), art. 15 (000:L891-893)',
      seats: coordinamentoTecnico,
    },
    {
      code: 'udp-integrato',
      kind: 'udp_integrato',
      name: 'Ufficio di Piano – Integrato',
      convenerRole: "Coordinatore dell'Ufficio di Piano",
      source: 'AdP 2018 art. 8 C (000:L471-505), art. 4 (000:L231-233)',
      seats: [
        ...coordinamentoTecnico,
        ...UDP_INTEGRATO_CATEGORIES.flatMap((c) =>
          [1, 2].map((i) =>
            roleSeat(
              `rappresentante:${c.code}:${i}`,
              `Rappresentante ${i} per ${c.label}`,
              'Enti aderenti della categoria',
              c.organisation,
            ),
          ),
        ),
      ],
    },
    ...subAmbiti.map(([n, s]): BodySpec => ({
      code: `sub-ambito-${n}`,
      kind: 'assemblea_sub_ambito',
      name: `Assemblea del Sub-ambito ${n}`,
      convenerRole: `Sindaco del comune referente (${s.lead})`,
      subAmbitoNumber: n,
      source: 'AdP 2018 art. 11-12 (000:L664-749)',
      seats: s.members.map(mayorSeat),
    })),
    {
      code: 'cabina-di-regia',
      kind: 'cabina_di_regia',
      name: 'Cabina di Regia Integrata',
      convenerRole: 'Direttore Sociosanitario di ATS Val Padana',
      convenerOrganisation: ATS,
      source:
        'AdP 2018 art. 9 (000:L540-619), art. 14 (000:L856-858); rappresentanti del solo Ambito Cremasco',
      seats: [
        { ...sindacoCrema, code: 'presidente-assemblea', role: "Presidente dell'Assemblea dei Sindaci" },
        RESPONSABILE_UDP,
        { ...DG_CSC, role: "Direttore dell'azienda sociale (CSC)" },
        roleSeat(
          'rappresentante-assemblea',
          "Rappresentante aggiuntivo designato dall'Assemblea dei Sindaci",
          'Assemblea dei Sindaci',
        ),
        roleSeat('direttore-sociosanitario-asst', 'Direttore Sociosanitario di ASST Crema', ASST, ASST),
        REFERENTE_ASST,
        roleSeat('direttore-sociosanitario-ats', 'Direttore Sociosanitario di ATS Val Padana', ATS, ATS),
        roleSeat('direttore-pipss-ats', 'Direttore del Dipartimento PIPSS di ATS Val Padana', ATS, ATS),
        roleSeat(
          'direttore-raccordo-sociale-ats',
          'Direttore UOC Raccordo con il sistema sociale di ATS Val Padana',
          ATS,
          ATS,
        ),
        roleSeat('direttore-distretto-crema', 'Direttore del Distretto di Crema (ATS Val Padana)', ATS, ATS),
      ],
    },
    {
      code: 'sovraintendenza',
      kind: 'sovraintendenza',
      name: 'Sovraintendenza',
      convenerRole: 'Sindaco di Crema',
      source: 'AdP 2018 art. 20 (000:L1026-1030)',
      seats: [
        sindacoCrema,
        ...[1, 2].map((i) =>
          roleSeat(
            `sindaco-designato:${i}`,
            `Sindaco designato ${i} dall'Assemblea per la Sovraintendenza`,
            'Assemblea dei Sindaci',
          ),
        ),
      ],
    },
  ];
}

function organisationId(territory: SeededTerritory, name: string | undefined): string | null {
  if (name === undefined) return null;
  const id = territory.organisations.get(name);
  if (!id) throw new Error(`Organizzazione sconosciuta nei dati di seed: ${name}`);
  return id;
}

/** Returns body code -> id. */
export async function seedBodies(
  tx: Tx,
  territory: SeededTerritory,
  keys: DistrictKeys,
): Promise<Map<string, string>> {
  const { ambitoId } = territory;
  const { placeholderEmail } = keys;
  const specs = bodySpecs(territory);

  await tx.body.createMany({
    data: specs.map((b) => ({
      ambitoId,
      code: b.code,
      name: b.name,
      kind: b.kind,
      convenerRole: b.convenerRole,
      convenerOrganisationId: organisationId(territory, b.convenerOrganisation),
      subAmbitoId: b.subAmbitoNumber === undefined ? null : territory.subAmbiti.get(b.subAmbitoNumber)!.id,
      rules: BodyRules.parse(DEFAULT_RULES[b.kind]),
      source: b.source,
    })),
    skipDuplicates: true,
  });
  const bodies = new Map(
    (await tx.body.findMany({ where: { ambitoId } })).map((b) => [b.code, b.id] as const),
  );
  const bodyId = (code: string) => bodies.get(code)!;

  const spanning = specs.filter((b) => b.convenerOrganisation !== undefined);
  await tx.bodyAmbito.createMany({
    data: spanning.map((b) => ({ bodyId: bodyId(b.code), ambitoId })),
    skipDuplicates: true,
  });

  await tx.seat.createMany({
    data: specs.flatMap((b) =>
      b.seats.map((s) => ({
        bodyId: bodyId(b.code),
        code: s.code,
        role: s.role,
        designatedBy: s.designatedBy,
      })),
    ),
    skipDuplicates: true,
  });

  const people = new Map(specs.flatMap((b) => b.seats.map((s) => [s.person.key, s.person] as const)));
  await tx.person.createMany({
    data: [...people.values()].map((p) => ({
      fullName: `${p.role} (segnaposto)`,
      email: placeholderEmail(p.key),
      organisationId: organisationId(territory, p.organisation),
      isPlaceholder: true,
    })),
    skipDuplicates: true,
  });
  const personIds = new Map(
    (await tx.person.findMany({ where: { email: { in: [...people.keys()].map(placeholderEmail) } } })).map(
      (p) => [p.email, p.id] as const,
    ),
  );
  const seats = await tx.seat.findMany({ where: { body: { ambitoId } } });
  const seatId = (body: string, code: string) =>
    seats.find((s) => s.bodyId === bodyId(body) && s.code === code)!.id;
  await tx.membership.createMany({
    data: specs.flatMap((b) =>
      b.seats.map((s) => ({
        seatId: seatId(b.code, s.code),
        personId: personIds.get(placeholderEmail(s.person.key))!,
        validFrom: AGREEMENT_START,
      })),
    ),
    skipDuplicates: true,
  });
  return bodies;
}
