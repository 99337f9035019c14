/**
 * `npm run bench:year`: one Cremasco district-year on the real stack; prints wall time, meetings,
 * messages and messages per second. (Target: under 20 s on 2 cores.)
 */
import { runSimulation } from './run';

const year = Number(process.argv[2] ?? new Date().getFullYear() + 1);
const summary = await runSimulation({ from: `${year}-01-01`, to: `${year}-12-31` });
const rate = summary.messages.total / summary.wallSeconds;
console.log(
  [
    `Anno ${year}, 1 distretto: ${summary.wallSeconds} s`,
    `sedute ${summary.meetingsHeld.total}, messaggi ${summary.messages.total} (${rate.toFixed(1)} al secondo)`,
    `obiettivo < 20 s: ${summary.wallSeconds < 20 ? 'raggiunto' : 'non raggiunto'}`,
  ].join('\n'),
);
process.exit(0);
