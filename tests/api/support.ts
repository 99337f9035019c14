/**
 * What every API test starts from: the real stack with a running worker (tests/workflows/harness.ts), the
 * fixture district, the server with Temporal on the time-skipping clock, and the same server on the same
 * clock without Temporal, as when the API runs alone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../../api/server';
import type { GovernanceOptions } from '../../api/temporal';
import { loadConfig } from '../../app/config';
import { actAs } from '../support/auth';
import { useDistrictStack, type DistrictStack } from '../workflows/harness';

/** The fixture district's Coordinatore UdP (tests/workflows/fixture.ts). */
export const COORDINATORE_FIXTURE = 'coordudp@example.org';

export interface ApiWorld extends DistrictStack {
  app: FastifyInstance;
  alone: FastifyInstance;
  /** Headers of a request by the district's Coordinatore UdP (an API token of theirs, named "test"). */
  coordinator: Record<string, string>;
  /** How the audit names what the coordinator does through that token. */
  coordinatorActor: string;
}

/**
 * Starts the world before the file's tests and closes it after them (servers first, then the stack). Its
 * fields are there from the first test on, and in the file's own beforeAll hooks, which run after these.
 */
export function useApiWorld(taskQueue: string): ApiWorld {
  const base = useDistrictStack(taskQueue);
  const world = {} as ApiWorld;
  beforeAll(async () => {
    const serve = (options: GovernanceOptions) =>
      buildServer({
        db: base.stack.db.prisma,
        config: loadConfig({ LOG_LEVEL: 'silent' }),
        answering: base.stack.answering,
        ...options,
      });
    // Both judge dates on the time-skipping clock: on the real one, the stories' 2027 dates would pass.
    const now = () => base.stack.env.currentTimeMs();
    Object.assign(world, base, {
      app: await serve({ governance: base.stack.gc, now }),
      alone: await serve({ governance: null, now }),
      coordinator: await actAs(base.stack.db.prisma, COORDINATORE_FIXTURE),
      coordinatorActor: `person:${base.district.people.coordudp}/token:test`,
    });
  });
  afterAll(() => Promise.allSettled([world.app?.close(), world.alone?.close()]));
  return world;
}
