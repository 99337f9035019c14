/**
 * `npm run worker`: the Temporal worker as its own process (production runs API and worker separately).
 * Temporal address: `--address host:port`, else TEMPORAL_ADDRESS, else the local embedded port.
 * `--no-reconcile` leaves healing to another process (the API runs the reconciler too when it starts one).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../app/config';
import { openDatabase } from '../app/database';
import { startNotifications } from '../notifications';
import { loadAnswerLinkSecret } from '../notifications/answers/tokens';
import { startGovernanceWorker } from './start';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { address: { type: 'string' }, 'no-reconcile': { type: 'boolean', default: false } },
  });
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
  const address = values.address ?? config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.EMBEDDED_TEMPORAL_PORT}`;
  if (!/^[\w.-]+:\d{1,5}$/.test(address)) {
    console.error(`--address=${JSON.stringify(address)}: atteso host:porta (es. localhost:7233)`);
    process.exit(1);
  }

  const database = await openDatabase(config, console.log);
  const notifications = await startNotifications({ config, db: database.db });
  const worker = await startGovernanceWorker({
    address,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    prisma: database.db,
    mailer: notifications.mailer,
    mailFrom: config.MAIL_FROM,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    answerLinkSecret: loadAnswerLinkSecret(process.env, config.DATA_DIR),
    reconcile: !values['no-reconcile'],
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: arresto del worker (completa le attività in corso)…`);
    await worker.stop();
    await notifications.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Avvio del worker non riuscito:', error instanceof Error ? error.message : error);
  process.exit(1);
});
