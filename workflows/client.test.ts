/**
 * The governance client's clock: on a time-skipping server (TEMPORAL_TIME_SKIPPING) it is the server's
 * virtual time, so an API process beside a simulated worker judges answer links as the workflows do; on any
 * other server it is the real clock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTemporalServer, type RunningServer } from '../tools/temporal-server/src/index.js';
import { connectGovernanceClient } from './client';

// Far from the real date whenever the test runs, and still: the server starts with its clock locked.
const VIRTUAL = Date.parse('2031-05-06T07:00:00Z');

let server: RunningServer;
beforeAll(async () => {
  server = await startTemporalServer({ timeSkipping: true, startLocked: true, startAt: VIRTUAL });
});
afterAll(async () => {
  await server?.stop();
});

it("reads the time-skipping server's virtual clock when told the server skips time", async () => {
  const gc = await connectGovernanceClient({ address: server.address, virtualTime: true });
  try {
    const now = await gc.now();
    expect(now).toBeGreaterThanOrEqual(VIRTUAL);
    expect(now).toBeLessThan(VIRTUAL + 60_000);
  } finally {
    await gc.close();
  }
});

it('reads the real clock otherwise, whatever the server says', async () => {
  const gc = await connectGovernanceClient({ address: server.address });
  try {
    const before = Date.now();
    const now = await gc.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  } finally {
    await gc.close();
  }
});
