import { describe, expect, it } from 'vitest';
import { forRounds, measure } from '../src/measure.js';

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

describe('forRounds', () => {
  it('shares the time and step budgets out over the rounds, keeping the warm-up and at least minReps', () => {
    const opts = { warmup: 3, warmupMs: 500, minReps: 5, maxReps: 2000, budgetMs: 3000 };
    expect(forRounds(opts, 3)).toEqual({ warmup: 3, warmupMs: 500, minReps: 5, maxReps: 667, budgetMs: 1000 });
    expect(forRounds({ ...opts, maxReps: 6 }, 3).maxReps).toBe(5);
    expect(forRounds(opts, 1)).toEqual(opts);
  });
});
