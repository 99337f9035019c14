/**
 * Fuzzing every /api/v1 route, driven by the OpenAPI document (tests/hardening/fuzz/requests.ts), against
 * the real stack (Postgres, Temporal worker), as anonymous and as the district's coordinator.
 *
 * Properties, for every request: never a 5xx, never a hang; every 4xx is the Italian error body, naming the
 * field when the request's content is at fault; a rejected request changes nothing (a checksum of every
 * table before and after). Seeded and bounded: `FUZZ_SEED=<n> npx vitest run tests/hardening/fuzz.test.ts`
 * replays a run (the seed is printed first); FUZZ_REQUESTS raises the count for a longer hunt.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { useApiWorld } from '../api/support';
import { operationsOf, requestsFor, type FuzzRequest } from './fuzz/requests';

const world = useApiWorld('fuzz');

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 900);
/** Wall-clock budget for the requests: the run stops early rather than slow the suite down. */
const BUDGET_MS = 35_000;
/** A request still unanswered after this is a hang. */
const HANG_MS = 15_000;
/** English words that would mean a message escaped untranslated. */
const ENGLISH = /\b(the|is|must be|expected|invalid|required|not found|unsupported|unexpected|cannot)\b/i;
/** Statuses about the request's own content: the body must say which field. */
const FIELD_STATUSES = new Set([400, 413, 415]);
/**
 * What authenticating writes, whatever the request then does: the last use of a token or session, and the
 * audit of a token's use (throttled, api/auth). Not a change made by the request.
 */
const TOUCHED_COLUMNS = ['lastUsedAt', 'lastSeenAt'];
const TOUCHED_ROWS: Record<string, string> = { AuditEvent: `WHERE action <> 'auth.token_used'` };
/** The cache stamps (api/stamps.ts) follow those writes too; any other change shows in the tables they cover. */
const NOT_CHECKED = 'Stamp';

async function checksumQuery(): Promise<string> {
  const tables = await world.stack.db.prisma.$queryRaw<{ name: string }[]>`
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

async function knownIds(): Promise<string[]> {
  const db = world.stack.db.prisma;
  const [bodies, meetings, deliverables, messages, people] = await Promise.all([
    db.body.findMany({ select: { id: true }, take: 3 }),
    db.meeting.findMany({ select: { id: true }, take: 3 }),
    db.deliverable.findMany({ select: { id: true }, take: 3 }),
    db.outboxMessage.findMany({ select: { id: true }, take: 3 }),
    db.person.findMany({ select: { id: true }, take: 3 }),
  ]);
  return [...bodies, ...meetings, ...deliverables, ...messages, ...people].map((row) => row.id);
}

/** Round-robin over the routes, so a run cut short by its budget still reached every one. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++)
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

/** The message without the names of the fields it cites (a field may be called `required`). */
function withoutFieldNames(message: string, fields: unknown): string {
  const names = Array.isArray(fields)
    ? fields.flatMap((f: { field?: unknown }) => (typeof f.field === 'string' ? f.field.split('.') : []))
    : [];
  return names.reduce((text, name) => text.replaceAll(name, ''), message);
}

function problemsOf(status: number, body: unknown): string[] {
  const problems: string[] = [];
  const { error, message, fields } = (body ?? {}) as { error?: unknown; message?: unknown; fields?: unknown };
  if (typeof error !== 'string' || !error) problems.push('senza error');
  if (typeof message !== 'string' || !message) problems.push('senza message');
  else if (ENGLISH.test(withoutFieldNames(message, fields)))
    problems.push(`message non in italiano: ${message.slice(0, 120)}`);
  if (FIELD_STATUSES.has(status)) {
    const named =
      Array.isArray(fields) &&
      fields.length > 0 &&
      fields.every(
        (f: { field?: unknown; message?: unknown }) =>
          typeof f.field === 'string' && typeof f.message === 'string',
      );
    if (!named) problems.push('fields non indica il campo');
  }
  return problems;
}

it('never answers 5xx or hangs; every refusal is the Italian error body and changes nothing', async () => {
  console.log(`fuzz: FUZZ_SEED=${SEED}`);
  const { app, coordinator } = world;
  await app.ready();
  const operations = operationsOf(app.swagger() as Parameters<typeof operationsOf>[0]);
  const ids = await knownIds();
  const perOperation = Math.max(1, Math.floor(MAX_REQUESTS / operations.length));
  const requests = interleave(
    operations.map((operation, i) =>
      fc.sample(requestsFor(operation, ids), { seed: SEED + i, numRuns: perOperation }),
    ),
  );
  const checksum = await checksumQuery();
  const sum = async () => (await world.stack.db.prisma.$queryRawUnsafe<{ sum: string }[]>(checksum))[0]!.sum;
  /** After an accepted change the worker may still be writing (a convocation going out): wait for quiet. */
  const settled = async () => {
    let last = await sum();
    for (let i = 0; i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const now = await sum();
      if (now === last) return now;
      last = now;
    }
    return last;
  };

  const serverErrors: string[] = [];
  const violations: string[] = [];
  const statuses = new Map<number, number>();
  let state = await sum();
  let tried = 0;
  const started = Date.now();
  for (const request of requests) {
    if (Date.now() - started > BUDGET_MS) break;
    tried++;
    const headers =
      request.actor === 'coordinator' ? { ...request.headers, ...coordinator } : request.headers;
    const response = await answer(app, request, headers);
    if (response === 'hang') {
      violations.push(`nessuna risposta in ${HANG_MS / 1000} s: ${request.description}`);
      continue;
    }
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    if (response.statusCode >= 500) {
      serverErrors.push(`${response.statusCode} ${response.body.slice(0, 200)} ← ${request.description}`);
      state = await settled();
    } else if (response.statusCode >= 400) {
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        body = null;
      }
      for (const problem of problemsOf(response.statusCode, body))
        violations.push(`${response.statusCode} ${problem} ← ${request.description}`);
      const after = await sum();
      if (after !== state)
        violations.push(`${response.statusCode} ma il database è cambiato ← ${request.description}`);
      state = after;
    } else if (request.method === 'GET') {
      state = await sum();
    } else {
      state = await settled();
    }
  }
  console.log(
    `fuzz: ${operations.length} percorsi, ${tried} richieste in ${Math.round((Date.now() - started) / 1000)} s, ` +
      `5xx: ${serverErrors.length}, stati: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  expect(operations.length).toBeGreaterThan(15);
  expect(tried).toBeGreaterThanOrEqual(Math.min(requests.length, operations.length * 5));
  expect(serverErrors).toEqual([]);
  expect(violations).toEqual([]);
}, 120_000);

async function answer(
  app: (typeof world)['app'],
  request: FuzzRequest,
  headers: Record<string, string>,
): Promise<{ statusCode: number; body: string } | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), HANG_MS)));
  try {
    return await Promise.race([
      app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers,
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      }),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
