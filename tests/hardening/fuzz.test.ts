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
import { fuzz, interleave, summary } from './fuzz/harness';
import { operationsOf, requestsFor } from './fuzz/requests';

const world = useApiWorld('fuzz');

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 900);
/** Wall-clock budget for the requests: the run stops early rather than slow the suite down. */
const BUDGET_MS = 35_000;
/** English words that would mean a message escaped untranslated. */
const ENGLISH = /\b(the|is|must be|expected|invalid|required|not found|unsupported|unexpected|cannot)\b/i;
/** Statuses about the request's own content: the body must say which field. */
const FIELD_STATUSES = new Set([400, 413, 415]);

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
  const run = await fuzz({
    app,
    db: world.stack.db.prisma,
    requests,
    budgetMs: BUDGET_MS,
    send: (request) => ({
      ...request,
      headers: request.actor === 'coordinator' ? { ...request.headers, ...coordinator } : request.headers,
    }),
    refusalProblems: ({ statusCode, body }) => {
      try {
        return problemsOf(statusCode, JSON.parse(body));
      } catch {
        return problemsOf(statusCode, null);
      }
    },
  });
  console.log(`fuzz: ${operations.length} percorsi, ${summary(run)}`);
  expect(operations.length).toBeGreaterThan(15);
  expect(run.tried).toBeGreaterThanOrEqual(Math.min(requests.length, operations.length * 5));
  expect(run.serverErrors).toEqual([]);
  expect(run.violations).toEqual([]);
}, 120_000);
