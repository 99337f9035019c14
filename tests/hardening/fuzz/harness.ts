/**
 * What both fuzzers (the JSON API's and the pages') share: the loop that sends their requests and judges
 * the answers (never a 5xx, never a hang, a refusal changes nothing), a checksum of the whole database to
 * tell whether a refused request changed anything, and the order in which routes take turns.
 */
import type { FastifyInstance } from 'fastify';
import type { PrismaClient } from '../../../prisma/client';

/** A request still unanswered after this is a hang. */
const HANG_MS = 15_000;

/**
 * What authenticating writes, whatever the request then does: the last use of a token or session, and the
 * audit of a token's use (throttled, api/auth). Not a change made by the request. Nor is the audit of a
 * refused sign-in link: who tried a link that does not sign in, and why, is what that refusal must leave.
 */
const TOUCHED_COLUMNS = ['lastUsedAt', 'lastSeenAt'];
const TOUCHED_ROWS: Record<string, string> = {
  AuditEvent: `WHERE action NOT IN ('auth.token_used', 'auth.sign_in_failed')`,
};
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

interface DatabaseState {
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

type Answer = { statusCode: number; body: string; headers: Record<string, unknown> };

/** The answer to `request`, or 'hang' when none came within HANG_MS. */
async function answerOrHang(app: FastifyInstance, request: SentRequest): Promise<Answer | 'hang'> {
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

export interface FuzzRun {
  tried: number;
  seconds: number;
  /** How many answers had each status. */
  statuses: Record<number, number>;
  serverErrors: string[];
  violations: string[];
}

/**
 * Sends `requests` one after another until the budget is spent and judges each answer: a 5xx or a hang is
 * reported, `problems` says what else is wrong with any answer, `refusalProblems` with a refusal (4xx),
 * and a refusal must leave every table as it was. After an accepted change the database is read again
 * once the worker has stopped writing, so the next refusal is judged against what it really found.
 */
export async function fuzz<R extends { method: string; description: string }>(options: {
  app: FastifyInstance;
  db: PrismaClient;
  requests: R[];
  budgetMs: number;
  send: (request: R) => SentRequest;
  problems?: (request: R, answer: Answer) => string[];
  refusalProblems: (answer: Answer) => string[];
}): Promise<FuzzRun> {
  const { sum, settled } = await databaseState(options.db);
  const run: FuzzRun = { tried: 0, seconds: 0, statuses: {}, serverErrors: [], violations: [] };
  let state = await sum();
  const started = Date.now();
  for (const request of options.requests) {
    if (Date.now() - started > options.budgetMs) break;
    run.tried++;
    const answer = await answerOrHang(options.app, options.send(request));
    if (answer === 'hang') {
      run.violations.push(`nessuna risposta in ${HANG_MS / 1000} s: ${request.description}`);
      continue;
    }
    const status = answer.statusCode;
    run.statuses[status] = (run.statuses[status] ?? 0) + 1;
    const problems = options.problems?.(request, answer) ?? [];
    if (status >= 500) {
      run.serverErrors.push(`${status} ${answer.body.slice(0, 200)} ← ${request.description}`);
      state = await settled();
    } else if (status >= 400) {
      problems.push(...options.refusalProblems(answer));
      const after = await sum();
      if (after !== state) problems.push('ma il database è cambiato');
      state = after;
    } else {
      state = request.method === 'GET' ? await sum() : await settled();
    }
    for (const problem of problems) run.violations.push(`${status} ${problem} ← ${request.description}`);
  }
  run.seconds = Math.round((Date.now() - started) / 1000);
  return run;
}

/** The summary line a fuzzer prints. */
export const summary = (run: FuzzRun) =>
  `${run.tried} richieste in ${run.seconds} s, 5xx: ${run.serverErrors.length}, stati: ${JSON.stringify(run.statuses)}`;
