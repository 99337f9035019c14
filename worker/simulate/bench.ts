/**
 * `npm run bench:year [-- [year] [--districts N]]`: simulates one year on the real stack for 1 district and
 * for N (default 20: the Cremasco and copies of it), and prints for each the wall time, workflow
 * executions, messages and messages per second. Target: one district-year under 20 s on 2 cores, checked
 * on the wall time per district (setup included).
 */
import { parseArgs } from 'node:util';
import { runSimulation } from './run';

const TARGET_SECONDS_PER_DISTRICT_YEAR = 20;

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
  const s = await runSimulation({ from: `${year}-01-01`, to: `${year}-12-31`, districts });
  const perDistrict = s.wallSeconds / districts;
  const verdict = perDistrict < TARGET_SECONDS_PER_DISTRICT_YEAR ? 'PASS' : 'MISS';
  console.log(
    [
      `Anno ${year}, ${districts} ${districts === 1 ? 'distretto' : 'distretti'}: ${s.wallSeconds} s`,
      `  workflow ${s.workflows}, sedute ${s.meetingsHeld.total}, messaggi ${s.messages.total} ` +
        `(${(s.messages.total / s.wallSeconds).toFixed(1)} al secondo, non riusciti ${s.messages.failed})`,
      `  ${perDistrict.toFixed(1)} s per distretto-anno; obiettivo < ${TARGET_SECONDS_PER_DISTRICT_YEAR} s: ${verdict}`,
    ].join('\n'),
  );
}
process.exit(0);
