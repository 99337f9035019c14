/**
 * A Cremasco year with scripted absences and delegates at the Cabina di Regia, on the real stack: the
 * attendance figures per organisation equal the ones counted by hand below, and `--reports DIR` writes the
 * year's attendance and monitoring files.
 *
 * The Cabina di Regia's ten seats by organisation (prisma/seed/bodies.ts): Comune di Crema 2 (the Presidente
 * dell'Assemblea, the Responsabile UdP), Comunità Sociale Cremasca a.s.c. 1 (its director), no organisation 1 (the
 * Assemblea's additional representative), ASST Crema 2, ATS Val Padana 4. It meets four times in 2027.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attendanceReport, type AttendanceReport } from '../../reports/attendance';
import { readCsv, readPdfText } from '../../reports/exports/read-back';
import { runSimulation } from './run';

it('counts the Cabina di Regia attendance of a simulated year as by hand, and writes the reports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulated-reports-'));
  let report: AttendanceReport | undefined;
  let plannedDays: string[] = [];
  const cabina = 'cabina-di-regia';
  try {
    await runSimulation({
      from: '2027-01-01',
      to: '2027-12-31',
      reportsDir: dir,
      scenario: {
        events: [
          // March: an ATS director apologises; the ASST referent does not come without a word.
          {
            type: 'absence',
            body: cabina,
            meeting: '2027-03-10',
            seat: 'direttore-pipss-ats',
            justified: true,
          },
          {
            type: 'absence',
            body: cabina,
            meeting: '2027-03-10',
            seat: 'referente-tecnico-asst',
            justified: false,
          },
          // June: the Presidente sends an assessora; the ATS district director is absent.
          {
            type: 'delegate',
            body: cabina,
            meeting: '2027-06-09',
            seat: 'presidente-assemblea',
            delegate: 'Assessora Maria Lucà',
          },
          {
            type: 'absence',
            body: cabina,
            meeting: '2027-06-09',
            seat: 'direttore-distretto-crema',
            justified: false,
          },
          // September: the CSC director sends her deputy; the ATS socio-sanitary director apologises.
          {
            type: 'delegate',
            body: cabina,
            meeting: '2027-09-08',
            seat: 'direttore-generale-csc',
            delegate: 'Vicedirettrice Anna Perù',
          },
          {
            type: 'absence',
            body: cabina,
            meeting: '2027-09-08',
            seat: 'direttore-sociosanitario-ats',
            justified: true,
          },
        ],
      },
      inspect: async (prisma) => {
        const body = await prisma.body.findFirstOrThrow({
          where: { code: cabina, ambito: { code: 'cremasco' } },
        });
        plannedDays = (
          await prisma.meeting.findMany({ where: { bodyId: body.id }, orderBy: { startsAt: 'asc' } })
        ).map((m) => m.plannedDateKey);
        report = await attendanceReport(
          prisma,
          { bodyId: body.id, from: '2027-01-01', to: '2027-12-31' },
          { kind: 'all' },
        );
      },
    });
    expect(plannedDays.slice(0, 3)).toEqual(['2027-03-10', '2027-06-09', '2027-09-08']);
    expect(report!.meetings).toHaveLength(4);
    expect(report!.withoutRollCall).toEqual([]);
    // Counted by hand: [expected, present, by delegate, justified, absent, rate].
    const figures = Object.fromEntries(
      report!.organisations.map((o) => [
        o.organisation,
        [o.expected, o.present, o.delegate, o.justified, o.absent, o.rate],
      ]),
    );
    expect(figures).toEqual({
      'ATS Val Padana': [16, 13, 0, 2, 1, 13 / 16],
      'ASST Crema': [8, 7, 0, 0, 1, 7 / 8],
      'Comune di Crema': [8, 7, 1, 0, 0, 1],
      'Comunità Sociale Cremasca a.s.c.': [4, 3, 1, 0, 0, 1],
      'Senza organizzazione': [4, 4, 0, 0, 0, 1],
    });
    expect(report!.meetings.every((m) => m.quorum.reached)).toBe(true);

    const files = readdirSync(dir).sort();
    for (const name of ['presenze-cabina-di-regia', 'presenze-comitato-ristretto', 'monitoraggio-2027']) {
      expect(files).toEqual(expect.arrayContaining([`${name}.csv`, `${name}.xlsx`, `${name}.pdf`]));
    }
    const csv = readCsv(readFileSync(join(dir, 'presenze-cabina-di-regia.csv')));
    expect(csv).toContainEqual(['ATS Val Padana', '16', '13', '0', '2', '1', '81,3%']);
    const monitoring = readCsv(readFileSync(join(dir, 'monitoraggio-2027.csv')));
    expect(monitoring.find((r) => r[0] === 'Comitato Ristretto')?.slice(1, 4)).toEqual(['12', '12', '0']);
    const monitoringPdf = await readPdfText(readFileSync(join(dir, 'monitoraggio-2027.pdf')));
    expect(monitoringPdf).toContain("Monitoraggio dell'anno 2027");
    expect(monitoringPdf).toContain('Ufficio di Piano – Nucleo Operativo');
    const attendancePdf = await readPdfText(readFileSync(join(dir, 'presenze-cabina-di-regia.pdf')));
    expect(attendancePdf).toContain('Comunità Sociale Cremasca a.s.c.');
    expect(attendancePdf).toContain('Assessora Maria Lucà');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
