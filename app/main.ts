/**
 * `npm start`: the whole service in one process, with embedded defaults for whatever is not configured.
 * `npm run api` (`--role api`): the HTTP half only, with the worker run apart by `npm run worker`.
 */
import { parseArgs } from 'node:util';
import { exitOnStartFailure, loadConfigOrExit, stopOnSignals } from './process';
import { startRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  if (values.role !== 'all' && values.role !== 'api') {
    console.error(`--role=${JSON.stringify(values.role)}: atteso all o api`);
    process.exit(1);
  }
  const runtime = await startRuntime({ config, role: values.role });
  stopOnSignals('del servizio', () => runtime.stop());
}

main().catch(exitOnStartFailure('del servizio'));
