// Entry point of bin/test-server: the same contract as Temporal's time-skipping test server
// binary, which @temporalio/testing spawns as `<path> <port> [extra args...]` and then probes
// by connecting until it answers. Extra arguments are accepted and ignored.
import { runFromCli } from './cli.js';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: test-server <port> [ignored args...]');
  process.exit(2);
}
await runFromCli(
  { port, timeSkipping: true, startLocked: true },
  'In-memory Temporal time-skipping test server',
);
