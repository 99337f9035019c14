/**
 * `npm run backup -- FILE` and `npm run restore -- FILE`, on the database the service itself would use:
 * DATABASE_URL when set, else the embedded Postgres in DATA_DIR (reached while the service runs, or started
 * for the time of the command when it does not).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigOrExit } from '../../app/process';
import type { Config } from '../../app/config';
import { startEmbeddedPostgres } from '../../prisma/embedded';
import { readBackupHeader, BackupRefused, restoreBackup, writeBackup } from './backup';

const ANSWER_SECRET_FILE = 'answer-link-secret';

/** The port of the embedded cluster when it is running (postmaster.pid, line 4), else null. */
function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

/** Runs `work` against the service's database; an embedded cluster not already running is started and stopped. */
async function withDatabase<T>(config: Config, work: (url: string) => Promise<T>): Promise<T> {
  if (config.DATABASE_URL) return work(config.DATABASE_URL);
  const dataDir = join(config.DATA_DIR, 'postgres');
  const port = runningEmbeddedPort(dataDir);
  if (port) return work(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`);
  const server = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_POSTGRES_PORT, log: () => {} });
  try {
    return await work(server.url());
  } finally {
    await server.stop();
  }
}

async function backup(config: Config, file: string): Promise<void> {
  if (!config.DATABASE_URL && !existsSync(join(config.DATA_DIR, 'postgres', 'PG_VERSION'))) {
    throw new BackupRefused(`Nessun database da salvare in ${resolve(config.DATA_DIR, 'postgres')}.`);
  }
  // Links in e-mails already sent are signed with this secret; without it they would stop working.
  const secretFile = join(config.DATA_DIR, ANSWER_SECRET_FILE);
  const secret =
    !process.env.ANSWER_LINK_SECRET && existsSync(secretFile)
      ? readFileSync(secretFile, 'utf8').trim()
      : null;
  const summary = await withDatabase(config, (url) => writeBackup(url, file, secret));
  console.log(`Backup scritto in ${resolve(file)}: ${summary.rows} righe da ${summary.tables} tabelle.`);
}

async function restore(config: Config, file: string): Promise<void> {
  const header = await readBackupHeader(file);
  if (!config.DATABASE_URL) {
    const dataDir = join(config.DATA_DIR, 'postgres');
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new BackupRefused(
        `La cartella dati ${resolve(dataDir)} contiene già un database: il ripristino va fatto in una DATA_DIR ` +
          'vuota (spostare o rinominare quella attuale, oppure indicare un’altra DATA_DIR).',
      );
    }
  }
  const summary = await withDatabase(config, (url) => restoreBackup(url, file));
  if (!config.DATABASE_URL && header.answerLinkSecret) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(join(config.DATA_DIR, ANSWER_SECRET_FILE), header.answerLinkSecret, { mode: 0o600 });
  }
  console.log(
    `Ripristino completato da ${resolve(file)} (backup del ${header.createdAt}): ${summary.rows} righe in ` +
      `${summary.tables} tabelle. All'avvio il servizio ricostruisce i workflow dal database.`,
  );
}

async function main(): Promise<void> {
  const [command, file] = process.argv.slice(2);
  if ((command !== 'backup' && command !== 'restore') || !file) {
    console.error('Uso: npm run backup -- FILE   |   npm run restore -- FILE');
    process.exit(2);
  }
  const config = loadConfigOrExit();
  await (command === 'backup' ? backup(config, file) : restore(config, file));
}

main().catch((error: unknown) => {
  console.error(error instanceof BackupRefused ? error.message : error);
  process.exit(1);
});
