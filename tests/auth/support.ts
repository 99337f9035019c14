/**
 * The service as sign-in sees it, on loopback: a seeded Cremasco and a copy of it (another ambito), the real
 * outbox sending to a real SMTP mail catcher, and the API listening on a free port, so tests drive it over
 * HTTP as a browser does (cookies, redirects, forms).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { startMailCatcher, type MailCatcher } from '../../notifications/catcher/server';
import { createOutbox } from '../../notifications/outbox/outbox';
import { createMailer } from '../../notifications/transport';
import type { PrismaClient } from '../../prisma/client';
import { freePort } from '../../prisma/free-port';
import { seedCremasco } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';

export interface AuthWorld {
  url: string;
  app: FastifyInstance;
  db: PrismaClient;
  catcher: MailCatcher;
  /** The id of the person with this e-mail. */
  personId(email: string): Promise<string>;
}

/** `env`: extra configuration, read when the world starts (e.g. the address of a provider started before). */
export function useAuthWorld(
  options: { env?: () => Record<string, string>; copies?: number } = {},
): AuthWorld {
  const world = {} as AuthWorld;
  let database: TestDatabase;
  let mailer: ReturnType<typeof createMailer>;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCremasco(database.prisma);
    for (let copy = 1; copy <= (options.copies ?? 0); copy++) await seedCremasco(database.prisma, { copy });
    const catcher = await startMailCatcher();
    mailer = createMailer({ smtpUrl: catcher.url });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const app = await buildServer({
      db: database.prisma,
      config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: url, ...options.env?.() }),
      outbox: createOutbox({ db: database.prisma, mailer, from: 'Ufficio di Piano <udp@crema.example.org>' }),
    });
    await app.listen({ port, host: '127.0.0.1' });
    Object.assign(world, {
      url,
      app,
      db: database.prisma,
      catcher,
      personId: async (email: string) =>
        (await database.prisma.person.findUniqueOrThrow({ where: { email } })).id,
    });
  });
  afterAll(async () => {
    await world.app?.close();
    mailer?.close();
    await world.catcher?.close();
    await database?.cleanup();
  });
  return world;
}
