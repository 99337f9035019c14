/**
 * `npm run simulate -- --from 2027-01-01 --to 2027-12-31 [--smtp smtp://host:port] [--scenario file.json] [--json]
 *  [--reports DIR]`
 * Runs the real stack through the period under time skipping and prints what happened.
 */
import { parseArgs } from 'node:util';
import { CivilDate } from '../../domain/index';
import { runSimulation, type SimulationSummary } from './run';
import { loadScenario } from './scenario';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function print(s: SimulationSummary): void {
  const lines = [
    `Simulazione ${s.from} → ${s.to} (${s.wallSeconds} s)`,
    `Sedute tenute: ${s.meetingsHeld.total}; annullate: ${s.meetingsCancelled}`,
    ...Object.entries(s.meetingsHeld.byBody).map(([body, n]) => `  ${body}: ${n}`),
    `Messaggi: ${s.messages.total} (non riusciti: ${s.messages.failed}, in giorni non lavorativi: ${s.messages.onNonWorkingDays})`,
    ...Object.entries(s.messages.byKind).map(([kind, n]) => `  ${kind}: ${n}`),
    `Convocazioni oltre il termine: ${s.convocationsAfterDeadline.length}`,
    ...s.convocationsAfterDeadline.map((c) => `  ${c}`),
    `Solleciti (escalation): ${s.escalations.total} (verbali ${s.escalations.minutes}, scadenze ${s.escalations.deliverables})`,
    ...Object.entries(s.escalations.byLevel).map(([level, n]) => `  livello ${level}: ${n}`),
    `Violazioni dell'Accordo: ${s.complianceBreaches.length}; avvisi preventivi: ${s.complianceWarnings}`,
    ...s.complianceBreaches.map((b) => `  ${b.body} [${b.period}]: ${b.message}`),
    'Scadenze:',
    ...s.deliverables.map(
      (d) => `  ${d.kind} ${d.year}: ${d.status}, fase ${d.stage}, livello ${d.escalationLevel}`,
    ),
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      smtp: { type: 'string' },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      reports: { type: 'string' },
    },
  });
  const from = CivilDate.safeParse(values.from);
  const to = CivilDate.safeParse(values.to);
  if (!from.success) fail(`--from: attesa una data AAAA-MM-GG (es. --from 2027-01-01)`);
  if (!to.success) fail(`--to: attesa una data AAAA-MM-GG (es. --to 2027-12-31)`);
  if (values.reports === '') fail('--reports: atteso il percorso di una cartella');
  if (values.smtp && !/^smtps?:\/\/[^\s]+$/.test(values.smtp))
    fail('--smtp: atteso un URL smtp:// o smtps://');
  let scenario;
  try {
    scenario = values.scenario ? loadScenario(values.scenario) : undefined;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const summary = await runSimulation({
    from: from.data,
    to: to.data,
    smtpUrl: values.smtp,
    scenario,
    reportsDir: values.reports,
    log: values.json ? undefined : (m) => console.error(m),
  });
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else print(summary);
  process.exit(0);
}

main().catch((error: unknown) =>
  fail(`Simulazione non riuscita: ${error instanceof Error ? error.message : String(error)}`),
);
