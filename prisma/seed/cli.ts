/**
 * `tsx prisma/seed/cli.ts`: migrates and seeds the service's database, chosen exactly as `npm start`
 * chooses it (DATABASE_URL, or the embedded Postgres under DATA_DIR).
 */
import { loadConfig } from '../../app/config';
import { openDatabase } from '../../app/database';
import { seedCremasco } from './index';

async function main(): Promise<void> {
  const database = await openDatabase(loadConfig(), (message) => console.log(message));
  try {
    await seedCremasco(database.db);
    console.log("Seed dell'Ambito Distrettuale Cremasco completato.");
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
