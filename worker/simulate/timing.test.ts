import { describe, expect, it } from 'vitest';
import { timeActivities } from './timing';

describe('timeActivities', () => {
  it('passes arguments, results and failures through, and counts every run, failed ones too', async () => {
    const { activities, times } = timeActivities({
      double: async (n: number) => n * 2,
      refuse: async (reason: string): Promise<never> => {
        throw new Error(reason);
      },
    });
    expect(await activities.double(21)).toBe(42);
    expect(await activities.double(1)).toBe(2);
    await expect(activities.refuse('seduta annullata')).rejects.toThrow('seduta annullata');
    const byName = new Map(times().map((t) => [t.name, t]));
    expect(byName.get('double')?.count).toBe(2);
    expect(byName.get('refuse')?.count).toBe(1);
    expect(times().every((t) => t.totalMs >= 0)).toBe(true);
  });

  it('lists the activity with the longest total first', async () => {
    const { activities, times } = timeActivities({
      quick: async () => undefined,
      slow: () => new Promise<void>((resolve) => setTimeout(resolve, 30)),
    });
    await activities.quick();
    await activities.slow();
    expect(times().map((t) => t.name)).toEqual(['slow', 'quick']);
    expect(times()[0]!.totalMs).toBeGreaterThanOrEqual(25);
  });
});
