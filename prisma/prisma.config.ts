// Prisma CLI configuration. The schema and migrations live in this folder; the datasource URL is only
// needed by CLI commands that talk to a database (`prisma migrate deploy` where the engine exists).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
