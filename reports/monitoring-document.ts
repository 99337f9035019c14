/** The year's monitoring as tables (bodies, deliverables) for the three file formats. */
import type { MonitoringReport } from './monitoring';
import { italianDay, type ReportDocument, type ReportTable } from './exports/table';
import { DELIVERABLE_KIND } from '../api/layout/labels';

export const MONITORING_SHEETS = ['organi', 'scadenze'] as const;

/** The deliverables' names are the pages' own (api/layout/labels.ts); stages and statuses are shorter here, for table columns. */
export const KIND_LABEL: Record<string, string> = DELIVERABLE_KIND;
export const STAGE_LABEL: Record<string, string> = {
  udp_draft: 'Bozza UdP',
  cr_review: 'Comitato Ristretto',
  ads_approval: 'Assemblea',
};
export const STATUS_LABEL: Record<string, string> = {
  open: 'aperta',
  submitted: 'presentata',
  approved: 'approvata',
  waived: 'non richiesta',
};

export function monitoringDocument(report: MonitoringReport, generatedAt: Date): ReportDocument {
  const bodies: ReportTable = {
    name: 'Organi',
    columns: [
      { header: 'Organo', kind: 'text', width: 3 },
      { header: 'Sedute richieste', kind: 'integer' },
      { header: 'Sedute tenute', kind: 'integer' },
      { header: 'Annullate', kind: 'integer' },
      { header: 'Verbali dovuti', kind: 'integer' },
      { header: 'Verbali presentati', kind: 'integer' },
      { header: 'Verbali circolati', kind: 'integer' },
      { header: 'Verbali approvati', kind: 'integer' },
      { header: 'Verbali in ritardo', kind: 'integer' },
      { header: 'Ritardo massimo (giorni)', kind: 'integer' },
      { header: 'Convocazioni inviate', kind: 'integer' },
      { header: 'Convocazioni nei termini', kind: 'integer' },
      { header: 'Violazioni', kind: 'integer' },
      { header: 'Avvisi', kind: 'integer' },
      { header: 'Dettaglio violazioni', kind: 'text', width: 4 },
    ],
    rows: report.bodies.map((b) => [
      b.body,
      b.required,
      b.held,
      b.cancelled,
      b.minutes.due,
      b.minutes.submitted,
      b.minutes.circulated,
      b.minutes.approved,
      b.minutes.late,
      b.minutes.maxDaysLate,
      b.convocations.sent,
      b.convocations.onTime,
      b.breaches.length,
      b.warnings,
      b.breaches.map((x) => `[${x.period}] ${x.message}`).join(' · ') || null,
    ]),
  };
  const deliverables: ReportTable = {
    name: 'Scadenze',
    columns: [
      { header: 'Adempimento', kind: 'text', width: 2 },
      { header: 'Periodo', kind: 'text' },
      { header: 'Scadenza', kind: 'text' },
      { header: 'Stato', kind: 'text' },
      { header: 'Fase', kind: 'text', width: 1.5 },
      { header: 'Termine della fase', kind: 'text' },
      { header: 'Completata il', kind: 'text' },
      { header: 'Giorni di ritardo', kind: 'integer' },
      { header: 'Proroghe', kind: 'integer' },
      { header: 'Solleciti', kind: 'integer' },
      { header: 'Livello massimo', kind: 'integer' },
    ],
    rows: report.deliverables.flatMap((d) =>
      d.stages.map((s) => [
        KIND_LABEL[d.kind] ?? d.kind,
        d.referencePeriod,
        italianDay(d.dueDate),
        STATUS_LABEL[d.status] ?? d.status,
        STAGE_LABEL[s.stage] ?? s.stage,
        italianDay(s.dueDate),
        s.completedOn ? italianDay(s.completedOn) : null,
        s.daysLate,
        d.extensions,
        d.escalations,
        d.maxEscalationLevel,
      ]),
    ),
  };
  return {
    title: `Monitoraggio dell'anno ${report.year}`,
    about: [`Ambito: ${report.ambito.name}`, `Periodo: dal 01/01/${report.year} al 31/12/${report.year}`],
    generatedAt,
    tables: [bodies, deliverables],
  };
}
