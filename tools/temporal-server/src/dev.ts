// `npm run temporal:dev -- --port 7233`: the in-memory server on wall-clock time.
import { parseArgs } from 'node:util';
import { runFromCli } from './cli.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '7233' }, host: { type: 'string', default: '127.0.0.1' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port "${values.port}"`);
  process.exit(2);
}
// Italian first (project rule for anything a person reads), English for the SDK-literate.
console.warn(
  'ATTENZIONE: server Temporal in memoria: workflow, storico e code vivono solo in memoria e si perdono alla chiusura.\n' +
    'WARNING: in-memory Temporal server: all workflows, histories and task queues live in memory and are lost when it stops.',
);
await runFromCli({ port, host: values.host, timeSkipping: false }, 'In-memory Temporal dev server');
