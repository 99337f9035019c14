/**
 * `npm run worker`: the Temporal worker as its own process (production runs API and worker separately).
 * Temporal address: `--address host:port`, else TEMPORAL_ADDRESS, else the local embedded port.
 * `--no-reconcile` leaves healing to other workers; otherwise the reconciler runs at start and on
 * RECONCILE_SCHEDULE. Several workers may all run it: see worker/reconciler.ts.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../app/database';
import { startNotifications } from '../notifications';
import { exitOnStartFailure, loadConfigOrExit, stopOnSignals } from '../app/process';
import { startGovernanceWorker, workerSettings } from './start';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { address: { type: 'string' }, 'no-reconcile': { type: 'boolean', default: false } },
  });
  const config = loadConfigOrExit();
  const address = values.address ?? config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.EMBEDDED_TEMPORAL_PORT}`;
  if (!/^[\w.-]+:\d{1,5}$/.test(address)) {
    console.error(`--address=${JSON.stringify(address)}: atteso host:porta (es. localhost:7233)`);
    process.exit(1);
  }

  const starting = (async () => {
    const database = await openDatabase(config, console.log);
    const notifications = await startNotifications({ config, db: database.db });
    const worker = await startGovernanceWorker({
      ...workerSettings(config, database.db, notifications.mailer),
      address,
      reconcile: values['no-reconcile'] ? false : config.RECONCILE_SCHEDULE,
    });
    return async () => {
      await worker.stop();
      await notifications.close();
      await database.close();
    };
  })();
  // Installed before start-up reaches its first await; a signal during start-up stops the worker once it
  // is up, in order (the worker finishes its activities before the database they write to stops).
  stopOnSignals('del worker (completa le attività in corso)', async () => {
    const stop = await starting.catch(() => undefined);
    await stop?.();
  });
  await starting;
}

main().catch(exitOnStartFailure('del worker'));
