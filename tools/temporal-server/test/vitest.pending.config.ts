// Runs the conformance tests that still fail against the offline server (files named *.pending.ts),
// which the default `npm test` run does not pick up. See STATUS.md.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tools/temporal-server/test/**/*.pending.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
