import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    // Integration tests start real Postgres, SMTP and Temporal servers: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One embedded Postgres cluster per run; each test file gets its own database (tests/support/database.ts).
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
