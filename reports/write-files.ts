/**
 * Writes a period's reports to a folder (`npm run simulate -- --reports DIR`): for each body of the district
 * that met, its attendance (presenze-<body>.csv per organisation, .xlsx and .pdf with every table); for each
 * year of the period, the monitoring (monitoraggio-<year>.csv per body, .xlsx, .pdf).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CivilDate } from '../domain/index';
import type { Database } from '../prisma/client';
import { AMBITO_CODE } from '../prisma/seed/keys';
import { attendanceReport } from './attendance';
import { attendanceDocument } from './attendance-document';
import { renderFile } from './exports/send';
import type { ReportDocument } from './exports/table';
import { monitoringDocument } from './monitoring-document';
import { monitoringReport } from './monitoring';

/** Returns the paths written. */
export async function writeYearReports(
  db: Database,
  dir: string,
  from: CivilDate,
  to: CivilDate,
  ambitoCode = AMBITO_CODE,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const ambito = await db.ambito.findUniqueOrThrow({ where: { code: ambitoCode } });
  const generatedAt = new Date();
  const written: string[] = [];
  const write = async (doc: ReportDocument, name: string) => {
    for (const format of ['csv', 'xlsx', 'pdf'] as const) {
      const path = join(dir, `${name}.${format}`);
      await writeFile(path, await renderFile(doc, format));
      written.push(path);
    }
  };
  const bodies = await db.body.findMany({ where: { ambitoId: ambito.id }, orderBy: { code: 'asc' } });
  for (const body of bodies) {
    const report = await attendanceReport(db, { bodyId: body.id, from, to }, { kind: 'all' });
    if (report.meetings.length > 0)
      await write(attendanceDocument(report, generatedAt), `presenze-${body.code}`);
  }
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    const report = await monitoringReport(db, { ambitoId: ambito.id, year });
    await write(monitoringDocument(report, generatedAt), `monitoraggio-${year}`);
  }
  return written;
}
