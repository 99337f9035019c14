/**
 * The geometry of the attendance bar chart (reports/views/presenze.hbs draws it as SVG on the server):
 * one horizontal bar per organisation, split into present, by delegate, justified and absent, each
 * segment as wide as its share of the meetings expected. Numbers and colours only (SVG presentation
 * attributes, which the pages' Content-Security-Policy allows): the view writes the markup.
 */
import type { Tally } from './attendance';
import { formatRate } from './exports/table';

export const CHART = { width: 720, labelWidth: 260, barHeight: 22, gap: 10, top: 8 } as const;

const SEGMENTS = [
  { key: 'present', label: 'Presente', fill: '#00734d' },
  { key: 'delegate', label: 'Tramite delegato', fill: '#0066cc' },
  { key: 'justified', label: 'Assente giustificato', fill: '#a66300' },
  { key: 'absent', label: 'Assente', fill: '#5c6f82' },
] as const;

export interface ChartBar {
  label: string;
  y: number;
  textY: number;
  rate: string;
  segments: { x: number; width: number; fill: string; title: string }[];
}

export function attendanceChart(rows: ({ organisation: string } & Tally)[]) {
  const barWidth = CHART.width - CHART.labelWidth - 60;
  const bars: ChartBar[] = rows.map((row, i) => {
    const y = CHART.top + i * (CHART.barHeight + CHART.gap);
    let x = CHART.labelWidth;
    const segments = SEGMENTS.flatMap((s) => {
      const count = row[s.key];
      if (count === 0 || row.expected === 0) return [];
      const width = (barWidth * count) / row.expected;
      const segment = { x, width, fill: s.fill, title: `${s.label}: ${count} su ${row.expected}` };
      x += width;
      return [segment];
    });
    return {
      label: row.organisation,
      y,
      textY: y + CHART.barHeight / 2 + 5,
      rate: row.rate === null ? '–' : formatRate(row.rate),
      segments,
    };
  });
  return {
    width: CHART.width,
    height: CHART.top * 2 + rows.length * (CHART.barHeight + CHART.gap),
    labelX: CHART.labelWidth - 8,
    rateX: CHART.width - 52,
    barHeight: CHART.barHeight,
    bars,
    legend: SEGMENTS.map((s) => ({ label: s.label, fill: s.fill })),
  };
}
