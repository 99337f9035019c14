// Benchmark activities: trivial on purpose, so the figure measures the server and SDK round trips.
export const benchActivities = {
  async stamp(id: number, step: string): Promise<string> {
    return `${id}:${step}`;
  },
};

export type BenchActivities = typeof benchActivities;
