/**
 * What every API test starts from: the real stack with a running worker (tests/workflows/harness.ts), the
 * fixture district, the server with Temporal on the time-skipping clock, and the same server without
 * Temporal, as when the API runs alone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../../api/server';
import type { GovernanceOptions } from '../../api/temporal';
import { loadConfig } from '../../app/config';
import { createDistrict, type District } from '../workflows/fixture';
import { startStack, type Stack } from '../workflows/harness';

export interface ApiWorld {
  stack: Stack;
  district: District;
  app: FastifyInstance;
  alone: FastifyInstance;
  close(): Promise<void>;
}

export async function startApiWorld(taskQueue: string): Promise<ApiWorld> {
  const stack = await startStack(taskQueue);
  const serve = (options: GovernanceOptions) =>
    buildServer({ db: stack.db.prisma, config: loadConfig({ LOG_LEVEL: 'silent' }), ...options });
  const district = await createDistrict(stack.db.prisma);
  await stack.runWorker();
  const app = await serve({ governance: stack.gc, now: () => stack.env.currentTimeMs() });
  const alone = await serve({ governance: null });
  return {
    stack,
    district,
    app,
    alone,
    async close() {
      await Promise.allSettled([app.close(), alone.close()]);
      await stack.close();
    },
  };
}

/**
 * Starts the world before the file's tests and closes it after them. Its fields are there from the first
 * test on (and in the file's own beforeAll hooks, which run after this one).
 */
export function useApiWorld(taskQueue: string): ApiWorld {
  const world = {} as ApiWorld;
  beforeAll(async () => {
    Object.assign(world, await startApiWorld(taskQueue));
  });
  afterAll(() => world.close?.());
  return world;
}
