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
  const starting = startRuntime({ config, role: values.role });
  // Installed before start-up reaches its first await, so no signal finds the service half-handled; one
  // that arrives during start-up stops the service once it is up, in order.
  stopOnSignals('del servizio', async () => {
    const runtime = await starting.catch(() => undefined);
    await runtime?.stop();
  });
  await starting;
}

main().catch(exitOnStartFailure('del servizio'));
