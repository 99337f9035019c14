/**
 * `npm run bench:year [-- [year] [--districts N]]`: simulates one year on the real stack for 1 district and
 * for N (default 20: the Cremasco and copies of it), and prints for each the wall time (setup included),
 * the CPU time of this process and its children (Postgres, Temporal server), workflow executions, messages
 * and messages per second, how long the start took, and the activities the year waited on longest.
 * Targets (issue 12, 2 cores): one district-year under 5 s, 20 district-years under 60 s; other counts are
 * held to 3 s per district-year.
 */
import { parseArgs } from 'node:util';
import { cpuSecondsOfTree } from '../../tools/cpu-time';
import { runSimulation } from './run';
import type { ActivityTime } from './timing';

const TARGET_SECONDS_ONE_DISTRICT = 5;
const TARGET_SECONDS_PER_DISTRICT_YEAR_AT_SCALE = 3;

function targetSeconds(districts: number): number {
  return districts === 1
    ? TARGET_SECONDS_ONE_DISTRICT
    : districts * TARGET_SECONDS_PER_DISTRICT_YEAR_AT_SCALE;
}

/** All activity runs and their wall time, then the ones the year waits on longest: runs × mean = total. */
function activitySummary(times: ActivityTime[], shown = 5): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const runs = times.reduce((sum, t) => sum + t.count, 0);
  const total = times.reduce((sum, t) => sum + t.totalMs, 0);
  const longest = times
    .slice(0, shown)
    .map((t) => `${t.name} ${t.count} × ${(t.totalMs / t.count).toFixed(0)} ms = ${seconds(t.totalMs)}`);
  return `${runs} esecuzioni, ${seconds(total)} di parete (attese comprese); le più lunghe: ${longest.join('; ')}`;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  options: { districts: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const year = Number(positionals[0] ?? new Date().getFullYear() + 1);
if (!Number.isInteger(year) || year < 2000) fail(`Anno non valido: ${positionals[0]} (es. 2027)`);
const many = Number(values.districts);
if (!Number.isInteger(many) || many < 1)
  fail(`--districts: atteso un intero da 1 in su (es. --districts 20)`);

for (const districts of many === 1 ? [1] : [1, many]) {
  const cpuBefore = cpuSecondsOfTree();
  const s = await runSimulation({
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    districts,
    timeActivities: true,
  });
  const cpu = cpuSecondsOfTree() - cpuBefore;
  const target = targetSeconds(districts);
  const verdict = s.wallSeconds < target ? 'PASS' : 'MISS';
  console.log(
    [
      `Anno ${year}, ${districts} ${districts === 1 ? 'distretto' : 'distretti'}: ${s.wallSeconds} s`,
      `  workflow ${s.workflows}, sedute ${s.meetingsHeld.total}, messaggi ${s.messages.total} ` +
        `(${(s.messages.total / s.wallSeconds).toFixed(1)} al secondo, non riusciti ${s.messages.failed})`,
      `  CPU ${cpu.toFixed(1)} s (questo processo e i suoi figli, fino alla fine della simulazione)`,
      `  avvio ${s.setupSeconds} s (Postgres, migrazioni, dati, server Temporal e worker); il resto è l'anno, con le settimane di anticipo`,
      `  attività: ${activitySummary(s.activityTimes ?? [])}`,
      `  ${(s.wallSeconds / districts).toFixed(1)} s per distretto-anno; obiettivo < ${target} s in tutto: ${verdict}`,
    ].join('\n'),
  );
}
process.exit(0);
