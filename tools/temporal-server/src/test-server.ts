// Entry point of bin/test-server: the same contract as Temporal's time-skipping test server
// binary, which @temporalio/testing spawns as `<path> <port> [extra args...]` and then probes
// by connecting until it answers. One extra argument of our own, `--start-at <ISO instant>`, sets
// where virtual time begins (passed through the SDK's `extraArgs`); any other is accepted and ignored.
import { parseArgs } from 'node:util';
import { runFromCli } from './cli.js';

const usage = 'usage: test-server <port> [--start-at <ISO instant>] [ignored args...]';
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(usage);
  process.exit(2);
}
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { 'start-at': { type: 'string' } },
  strict: false,
});
const startAt = typeof values['start-at'] === 'string' ? Date.parse(values['start-at']) : undefined;
if (Number.isNaN(startAt)) {
  console.error(`--start-at: atteso un istante ISO (es. 2027-01-01T00:00:00Z). ${usage}`);
  process.exit(2);
}
await runFromCli({ port, timeSkipping: true, startLocked: true, startAt });
