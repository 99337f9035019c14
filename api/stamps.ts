/**
 * The stamps that let a process keep answers computed from the database (Stamp in prisma/schema.prisma):
 * each changes in the commit of every write to what its answers are computed from. Read a stamp before the
 * data an answer is computed from, and keep the answer under it: an answer kept under the stamp a request
 * reads is then the one a fresh computation would give.
 */
import type { Database } from '../prisma/client';

export type StampName = 'planning' | 'access';

export async function readStamp(db: Database, name: StampName): Promise<string> {
  const row = await db.stamp.findUniqueOrThrow({ where: { name }, select: { value: true } });
  return row.value;
}

/**
 * Answers kept by stamp, for each database at most `limit` of them (the oldest goes first), each until its
 * stamp changes or the instant its computation gives (an answer that also depends on the time of day; one
 * not worth keeping gives `now`).
 * Values are shared between requests: never mutate one.
 */
export function stampedCache<T>(name: StampName, limit: number) {
  type Entry = { stamp: string; value: Promise<T>; until: number };
  const byDatabase = new WeakMap<Database, Map<string, Entry>>();
  return async function get(
    db: Database,
    key: string,
    now: number,
    compute: () => Promise<{ value: T; until?: number }>,
  ): Promise<T> {
    let kept = byDatabase.get(db);
    if (!kept) byDatabase.set(db, (kept = new Map()));
    const stamp = await readStamp(db, name);
    const hit = kept.get(key);
    if (hit && hit.stamp === stamp && now < hit.until) return hit.value;
    const computed = compute();
    const entry: Entry = { stamp, value: computed.then((c) => c.value), until: Infinity };
    if (kept.size >= limit) kept.delete(kept.keys().next().value!);
    kept.set(key, entry);
    // Requests arriving together after a write compute once; a failed read (Postgres away) is not kept.
    computed.then(
      (c) => {
        entry.until = c.until ?? Infinity;
        if (entry.until <= now && kept.get(key) === entry) kept.delete(key);
      },
      () => kept.get(key) === entry && kept.delete(key),
    );
    return entry.value;
  };
}
