import type { Step } from './types.js';

export interface MeasureOptions {
  warmup: number;
  minReps: number;
  maxReps: number;
  /** Keep repeating until this much time has been spent (and minReps reached). */
  budgetMs: number;
}

export const FULL: MeasureOptions = { warmup: 3, minReps: 5, maxReps: 200, budgetMs: 3000 };
export const QUICK: MeasureOptions = { warmup: 1, minReps: 3, maxReps: 50, budgetMs: 300 };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median milliseconds per step after warm-up (JIT tiers, lazily allocated scratch, tfjs kernel caches).
 * The median, not the mean or the best: the machine is shared, and a median shrugs off the steps another
 * process interrupted without flattering us with the luckiest one.
 */
export async function measure(step: Step, opts: MeasureOptions): Promise<{ ms: number; reps: number }> {
  for (let i = 0; i < opts.warmup; i++) await step();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < opts.maxReps && (times.length < opts.minReps || performance.now() - start < opts.budgetMs)) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), reps: times.length };
}
