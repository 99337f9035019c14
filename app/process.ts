/**
 * What every entry point (npm start, npm run api, npm run worker) does the same way: read the
 * configuration or exit 1 naming what is wrong, and stop cleanly once on SIGINT or SIGTERM.
 */
import { leaveSignalsToCaller } from '../prisma/embedded';
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

/**
 * Takes over SIGINT and SIGTERM from the start (before anything is running): the first signal runs `stop`,
 * which stops everything in order (worker before the database it writes to), then exits 0; a second one
 * exits at once, for a stop that hangs.
 */
export function stopOnSignals(what: string, stop: () => Promise<void>): void {
  leaveSignalsToCaller();
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal}: uscita immediata senza attendere l'arresto ${what}.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`${signal}: arresto ${what} in corso… (di nuovo ${signal} per uscire subito)`);
    await stop();
    console.log(`Arresto ${what} completato.`);
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
}

/** Ends the process with a readable line instead of a stack trace when start-up fails. */
export function exitOnStartFailure(what: string) {
  return (error: unknown) => {
    console.error(`Avvio ${what} non riuscito:`, error instanceof Error ? error.message : error);
    process.exit(1);
  };
}
