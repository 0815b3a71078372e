import { describe, expect, it } from 'vitest';
import { measure } from '../src/measure.js';

describe('measure', () => {
  it('warms up for at least warmupMs, then times between minReps and maxReps steps', async () => {
    const starts: number[] = [];
    const before = performance.now();
    const { reps } = await measure(() => void starts.push(performance.now()), {
      warmup: 2, warmupMs: 15, minReps: 3, maxReps: 7, budgetMs: 0,
    });
    expect(reps).toBe(3);
    const warmups = starts.length - reps;
    expect(warmups).toBeGreaterThanOrEqual(2);
    // The first timed step starts only once the warm-up time is over.
    expect(starts[warmups] - before).toBeGreaterThanOrEqual(15);
  });

  it('stops at maxReps however much budget is left', async () => {
    let calls = 0;
    const { reps } = await measure(() => void calls++, { warmup: 1, warmupMs: 0, minReps: 1, maxReps: 4, budgetMs: 60_000 });
    expect(reps).toBe(4);
    expect(calls).toBe(5);
  });
});
