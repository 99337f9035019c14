/**
 * "Scarica la bozza di verbale": a DOCX already filled with the body, date, place, the roll call as
 * recorded (present, represented and by whom, justified, absent), the quorum and the agenda items as
 * headings, for the secretary to complete. Built with docxtemplater from a template the office may replace
 * with its own letterhead: `$DATA_DIR/modelli/bozza-verbale.docx` when it exists, else the default shipped
 * beside this file (docs/seduta.md lists the tags).
 */
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollCall, type RollCallLine } from '../../../activities/roll-call';
import { defaultAgenda } from '../../../activities/compose';
import { BodyRules } from '../../../domain/index';
import { formatDate, formatTime } from '../../../notifications/format';
import type { Database } from '../../../prisma/client';

const DEFAULT_TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'bozza-verbale.docx');

/** The office's own template when it has saved one, else the default. */
export function draftTemplatePath(dataDir: string): string {
  const own = join(dataDir, 'modelli', 'bozza-verbale.docx');
  return existsSync(own) ? own : DEFAULT_TEMPLATE;
}

const time = (d: Date | null) => (d ? formatTime(d.toISOString()) : '');

/** What the template's tags receive. */
export async function draftData(db: Database, meetingId: string) {
  const m = await db.meeting.findUniqueOrThrow({
    where: { id: meetingId },
    include: { body: { include: { ambito: true } }, agendaItems: { orderBy: { position: 'asc' } } },
  });
  const call = await rollCall(db, meetingId);
  const withStatus = (...statuses: (string | undefined)[]) =>
    call.lines.filter((l) => statuses.includes(l.recorded?.status));
  const who = (l: RollCallLine) => l.recordedFor?.fullName ?? l.holder.fullName;
  const rules = BodyRules.parse(m.body.rules);
  const agenda = m.agendaItems.length > 0 ? m.agendaItems : defaultAgenda(rules.minutes.required);
  const q = call.quorum;
  return {
    ambito: m.body.ambito.name,
    organo: m.body.name,
    urgente: m.urgent,
    data: formatDate(m.startsAt.toISOString(), 'it'),
    ora: formatTime(m.startsAt.toISOString()),
    luogo: m.place
      ? `presso ${m.place}`
      : `in collegamento online (${m.onlineUrl ?? 'collegamento indicato nella convocazione'})`,
    convocazione: m.convenedAt
      ? `con convocazione inviata il ${formatDate(m.convenedAt.toISOString(), 'it')}`
      : 'secondo le modalità dell’Accordo di Programma',
    presenti: withStatus('present').map((l) => ({
      seggio: l.role,
      nome: who(l),
      arrivo: time(l.recorded!.arrivedAt),
    })),
    rappresentati: withStatus('delegate').map((l) => ({
      seggio: l.role,
      titolare: l.holder.fullName,
      delegato: l.recorded!.delegateName ?? l.standingDelegate?.fullName ?? 'delegato non indicato',
      arrivo: time(l.recorded!.arrivedAt),
    })),
    giustificati: withStatus('absent_justified').map((l) => ({ seggio: l.role, nome: who(l) })),
    // A seat with nothing recorded is absent, as for the quorum.
    assenti: withStatus('absent', undefined).map((l) => ({ seggio: l.role, nome: who(l) })),
    quorum: q
      ? `Seggi con diritto di voto: ${q.seats}; presenti o validamente rappresentati: ${q.counted}; ` +
        `necessari per la validità: ${q.required}. La seduta ${q.valid ? 'è valida' : 'non è valida'}.`
      : 'Nessun seggio con diritto di voto assegnato: quorum non calcolabile.',
    punti: agenda.map((item, i) => ({
      numero: i + 1,
      titolo: item.title,
      descrizione: item.description ?? '',
    })),
  };
}

/** The filled DOCX. */
export async function draftMinutes(db: Database, meetingId: string, dataDir: string): Promise<Buffer> {
  const zip = new PizZip(readFileSync(draftTemplatePath(dataDir)));
  const doc = new Docxtemplater(zip, { paragraphLoop: true, linebreaks: true });
  doc.render(await draftData(db, meetingId));
  return doc.toBuffer({ compression: 'DEFLATE' });
}
