/** The annual deliverables of the 2018 agreement and the bodies that prepare and approve them. */
import type { DeliverableKind } from '../../domain/kinds';
import type { Prisma } from '../client';

type Tx = Prisma.TransactionClient;

const TYPES: {
  kind: DeliverableKind;
  name: string;
  description: string;
  mandatory: boolean;
  preparer: string;
  approver: string | null;
  source: string;
}[] = [
  {
    kind: 'piano_operativo',
    name: 'Piano Operativo',
    description:
      "Documento annuale di programmazione (azioni, budget, obiettivi, strumenti e tempi di verifica) per l'anno successivo, da approvare entro dicembre.",
    mandatory: true,
    preparer: 'comitato-ristretto',
    approver: 'assemblea-sindaci',
    source: 'AdP 2018 art. 16 (000:L903-909); predisposto dal Comitato Ristretto, art. 7 (000:L337-341)',
  },
  {
    kind: 'report_annuale',
    name: 'Report annuale',
    description:
      "Resoconto dell'attuazione del Piano di Zona rispetto al Piano Operativo e ai budget dell'anno precedente, da approvare entro aprile.",
    mandatory: true,
    preparer: 'comitato-ristretto',
    approver: 'assemblea-sindaci',
    source: 'AdP 2018 art. 16 (000:L915-919); predisposto dal Comitato Ristretto, art. 7 (000:L337-343)',
  },
  {
    kind: 'aggiornamento_semestrale',
    name: 'Aggiornamento semestrale',
    description:
      "Passaggio di aggiornamento a metà anno, raccomandato ma non obbligatorio; l'accordo non ne indica il destinatario.",
    mandatory: false,
    preparer: 'udp-nucleo-operativo',
    approver: null,
    source: 'AdP 2018 art. 16 (000:L919-921)',
  },
];

export async function seedDeliverableTypes(
  tx: Tx,
  ambitoId: string,
  bodies: Map<string, string>,
): Promise<void> {
  const bodyId = (code: string | null) => (code === null ? null : bodies.get(code)!);
  await tx.deliverableType.createMany({
    data: TYPES.map((t) => ({
      ambitoId,
      kind: t.kind,
      name: t.name,
      description: t.description,
      mandatory: t.mandatory,
      preparerBodyId: bodyId(t.preparer),
      approverBodyId: bodyId(t.approver),
      source: t.source,
    })),
    skipDuplicates: true,
  });
}
