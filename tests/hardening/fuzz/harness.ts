/**
 * What both fuzzers (the JSON API's and the pages') need around their requests: a checksum of the whole
 * database to tell whether a refused request changed anything, a request that reports a hang instead of
 * waiting for ever, and the order in which routes take turns.
 */
import type { FastifyInstance } from 'fastify';
import type { PrismaClient } from '../../../prisma/client';

/** A request still unanswered after this is a hang. */
export const HANG_MS = 15_000;
/** English words that would mean a message escaped untranslated. */
export const ENGLISH =
  /\b(the|is|must be|expected|invalid|required|not found|unsupported|unexpected|cannot)\b/i;

/**
 * What authenticating writes, whatever the request then does: the last use of a token or session, and the
 * audit of a token's use (throttled, api/auth). Not a change made by the request.
 */
const TOUCHED_COLUMNS = ['lastUsedAt', 'lastSeenAt'];
const TOUCHED_ROWS: Record<string, string> = { AuditEvent: `WHERE action <> 'auth.token_used'` };
/** The cache stamps (api/stamps.ts) follow those writes too; any other change shows in the tables they cover. */
const NOT_CHECKED = 'Stamp';

async function checksumQuery(db: PrismaClient): Promise<string> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> ${NOT_CHECKED}
    ORDER BY 1`;
  const strip = TOUCHED_COLUMNS.map((c) => ` - '${c}'`).join('');
  const parts = tables.map(
    ({ name }) =>
      `SELECT '${name}:' || md5(coalesce(string_agg(r, ',' ORDER BY r), '')) AS x
         FROM (SELECT (to_jsonb(t)${strip})::text AS r FROM "${name}" t ${TOUCHED_ROWS[name] ?? ''}) s`,
  );
  return `SELECT md5(string_agg(x, '|' ORDER BY x)) AS sum FROM (${parts.join(' UNION ALL ')}) u`;
}

export interface DatabaseState {
  /** A checksum of every table's rows. */
  sum(): Promise<string>;
  /** After an accepted change the worker may still be writing (a convocation going out): waits for quiet. */
  settled(): Promise<string>;
}

export async function databaseState(db: PrismaClient): Promise<DatabaseState> {
  const query = await checksumQuery(db);
  const sum = async () => (await db.$queryRawUnsafe<{ sum: string }[]>(query))[0]!.sum;
  return {
    sum,
    async settled() {
      let last = await sum();
      for (let i = 0; i < 40; i++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const now = await sum();
        if (now === last) return now;
        last = now;
      }
      return last;
    },
  };
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** The answer to `request`, or 'hang' when none came within HANG_MS. */
export async function answerOrHang(
  app: FastifyInstance,
  request: SentRequest,
): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> } | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), HANG_MS)));
  try {
    return await Promise.race([
      app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: request.headers,
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      }),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Round-robin over the routes, so a run cut short by its budget still reached every one. */
export function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++)
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}
