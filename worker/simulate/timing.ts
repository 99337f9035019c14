/**
 * Where a simulated year goes, for `bench:year`: the wall time spent in each activity. An activity's time
 * includes its waits (Postgres, SMTP) and whatever else the process did meanwhile, and activities that run
 * side by side both count, so the times say what the year waits on, not what it computes.
 */
export interface ActivityTime {
  name: string;
  count: number;
  totalMs: number;
}

type Activity = (...args: never[]) => Promise<unknown>;

/** The same activities, each timed; `times()` lists them, the longest in total first. */
export function timeActivities<T extends Record<string, Activity>>(activities: T) {
  const totals = new Map<string, ActivityTime>();
  const timed = (name: string, activity: Activity) =>
    async function (...args: Parameters<Activity>) {
      const started = performance.now();
      try {
        return await activity(...args);
      } finally {
        const total = totals.get(name) ?? { name, count: 0, totalMs: 0 };
        total.count += 1;
        total.totalMs += performance.now() - started;
        totals.set(name, total);
      }
    };
  return {
    activities: Object.fromEntries(
      Object.entries(activities).map(([name, activity]) => [name, timed(name, activity)]),
    ) as T,
    times: (): ActivityTime[] => [...totals.values()].sort((a, b) => b.totalMs - a.totalMs),
  };
}
