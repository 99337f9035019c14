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
import type { MeetingStatus, PrismaClient } from '../../prisma/client';
import { freePort } from '../../prisma/free-port';
import { seedCremasco } from '../../prisma/seed';
import { actAs } from '../support/auth';
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

/**
 * Opens the pool's connections before two requests race: otherwise the second one waits for a connection,
 * not for the first request, and the overlap the test is about never happens.
 */
export const warmPool = (db: PrismaClient) =>
  Promise.all([1, 2, 3, 4].map(() => db.$queryRaw`SELECT 1 FROM pg_sleep(0.05)`));

/** The Cremasco's Comitato Ristretto and the headers of its coordinator, who prepares its sessions. */
export async function coordinatorOfComitato(world: AuthWorld) {
  const ambitoId = (await world.db.ambito.findUniqueOrThrow({ where: { code: 'cremasco' } })).id;
  const cr = (await world.db.body.findFirstOrThrow({ where: { code: 'comitato-ristretto', ambitoId } })).id;
  return { cr, coordinator: await actAs(world.db, 'coordinatore-udp@example.org') };
}

/** A session of the body on `day`, 16:00–18:00 UTC in Crema, with these agenda points in order. */
export async function sessionOn(
  db: PrismaClient,
  bodyId: string,
  day: string,
  options: { status?: MeetingStatus; agenda?: string[] } = {},
) {
  const meeting = await db.meeting.create({
    data: {
      bodyId,
      plannedDateKey: day,
      startsAt: new Date(`${day}T16:00:00Z`),
      endsAt: new Date(`${day}T18:00:00Z`),
      place: 'Crema',
      ...(options.status ? { status: options.status } : {}),
      agendaItems: { create: (options.agenda ?? []).map((title, i) => ({ position: i + 1, title })) },
    },
    include: { agendaItems: { orderBy: { position: 'asc' } } },
  });
  return { id: meeting.id, items: meeting.agendaItems.map((i) => i.id) };
}
