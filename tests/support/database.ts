/**
 * A fresh, migrated database per test file, on the cluster started by tests/support/global-setup.ts.
 *
 *   const db = await createTestDatabase();   // in beforeAll
 *   await db.prisma.body.findMany();
 *   await db.cleanup();                      // in afterAll: disconnects and drops the database
 *
 * Databases are copies of a template migrated once per run, so each costs a file copy, not a migration.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../prisma/client';
import { TEMPLATE_DATABASE } from './constants';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export interface TestDatabase {
  /** Connection string of this test file's own database. */
  url: string;
  name: string;
  prisma: PrismaClient;
  cleanup(): Promise<void>;
}

function adminUrl(): string {
  const url = inject('postgresAdminUrl');
  if (!url) {
    throw new Error(
      "Nessun PostgreSQL di test: aggiungere globalSetup: ['tests/support/global-setup.ts'] a vitest.config.ts.",
    );
  }
  return url;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => {
    // Two files copying the template at the same instant can collide on Postgres' template check; retry a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
        return;
      } catch (error) {
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  const url = withDatabase(adminUrl(), name);
  const prisma = createPrismaClient(url);
  return {
    url,
    name,
    prisma,
    cleanup: async () => {
      await prisma.$disconnect();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An empty database (no migrations applied), for tests of the migration runner itself. */
export async function createEmptyDatabase(): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(adminUrl(), name),
    cleanup: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
