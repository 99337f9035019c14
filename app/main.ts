/**
 * `npm start`: the whole service in one process, with embedded defaults for whatever is not configured.
 * `npm run api` (`--role api`): the HTTP half only, with the worker run apart by `npm run worker`.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { startRuntime } from './runtime';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  if (values.role !== 'all' && values.role !== 'api') {
    console.error(`--role=${JSON.stringify(values.role)}: atteso all o api`);
    process.exit(1);
  }
  const runtime = await startRuntime({ config, role: values.role });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: arresto in corso…`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Avvio non riuscito:', error instanceof Error ? error.message : error);
  process.exit(1);
});
