/**
 * What every entry point (npm start, npm run api, npm run worker) does the same way: read the
 * configuration or exit 1 naming what is wrong, and stop cleanly once on SIGINT or SIGTERM.
 */
import { ConfigError, loadConfig, type Config } from './config';

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export function stopOnSignals(what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: arresto ${what} in corso…`);
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Ends the process with a readable line instead of a stack trace when start-up fails. */
export function exitOnStartFailure(what: string) {
  return (error: unknown) => {
    console.error(`Avvio ${what} non riuscito:`, error instanceof Error ? error.message : error);
    process.exit(1);
  };
}
