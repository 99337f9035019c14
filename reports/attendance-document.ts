/** The attendance report as tables (per organisation, per person, per meeting) for the three file formats. */
import type { AttendanceReport, Tally } from './attendance';
import { SEAT_STATUS_LABEL } from './seat-status';
import {
  italianDateTime,
  italianDay,
  type Column,
  type ReportDocument,
  type ReportTable,
} from './exports/table';

const TALLY_COLUMNS: Column[] = [
  { header: 'Sedute attese', kind: 'integer' },
  { header: 'Presente', kind: 'integer' },
  { header: 'Tramite delegato', kind: 'integer' },
  { header: 'Assente giustificato', kind: 'integer' },
  { header: 'Assente', kind: 'integer' },
  { header: 'Tasso di presenza', kind: 'rate' },
];

const tally = (t: Tally) => [t.expected, t.present, t.delegate, t.justified, t.absent, t.rate];

/** Which table each CSV holds (a CSV has one table). */
export const ATTENDANCE_SHEETS = ['organizzazioni', 'persone', 'sedute'] as const;
export type AttendanceSheet = (typeof ATTENDANCE_SHEETS)[number];

export function attendanceDocument(report: AttendanceReport, generatedAt: Date): ReportDocument {
  const organisations: ReportTable = {
    name: 'Per organizzazione',
    columns: [{ header: 'Organizzazione', kind: 'text', width: 3 }, ...TALLY_COLUMNS],
    rows: report.organisations.map((o) => [o.organisation, ...tally(o)]),
  };
  const people: ReportTable = {
    name: 'Per persona',
    columns: [
      { header: 'Persona', kind: 'text', width: 3 },
      { header: 'Organizzazione', kind: 'text', width: 3 },
      ...TALLY_COLUMNS,
    ],
    rows: report.people.map((p) => [p.person, p.organisation, ...tally(p)]),
  };
  const meetings: ReportTable = {
    name: 'Per seduta',
    columns: [
      { header: 'Data', kind: 'text' },
      { header: 'Quorum raggiunto', kind: 'text' },
      { header: 'Seggio', kind: 'text', width: 3 },
      { header: 'Titolare', kind: 'text', width: 2.5 },
      { header: 'Organizzazione', kind: 'text', width: 2.5 },
      { header: 'Stato', kind: 'text', width: 1.5 },
      { header: 'Rappresentato da', kind: 'text', width: 2 },
      { header: 'Arrivo', kind: 'text' },
      { header: 'Conta per il quorum', kind: 'text' },
    ],
    rows: report.meetings.flatMap((m) =>
      m.seats.map((s) => [
        italianDay(m.date),
        m.quorum.reached ? 'sì' : 'no',
        s.role,
        s.holder,
        s.organisation,
        SEAT_STATUS_LABEL[s.status],
        s.representedBy,
        s.arrivedAt ? italianDateTime(s.arrivedAt).slice(11) : null,
        s.countsForQuorum ? 'sì' : 'no',
      ]),
    ),
  };
  const about = [
    `Organo: ${report.body.name}`,
    `Periodo: dal ${italianDay(report.from)} al ${italianDay(report.to)}`,
    `Sedute con appello: ${new Set(report.meetings.map((m) => m.meetingId)).size}` +
      (report.withoutRollCall.length
        ? `; sedute senza appello registrato (escluse dal conteggio): ${report.withoutRollCall
            .map((m) => italianDay(m.date))
            .join(', ')}`
        : ''),
    ...(report.scope === 'own' ? ['Righe limitate alle presenze della persona che consulta il report'] : []),
  ];
  return { title: 'Report delle presenze', about, generatedAt, tables: [organisations, people, meetings] };
}
