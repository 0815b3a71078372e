import type { Step } from './types.js';

export interface MeasureOptions {
  /** Warm-up steps, at least this many… */
  warmup: number;
  /** …and until this much time has been spent warming up. */
  warmupMs: number;
  minReps: number;
  maxReps: number;
  /** Keep repeating until this much time has been spent (and minReps reached). */
  budgetMs: number;
}

// A fixed count of warm-up steps leaves sub-millisecond steps (batch-1 latency) measured while V8 is
// still tiering up their small functions: 3 warm-up steps and 200 timed ones of 0.1 ms span 20 ms of JIT
// warm-up. Warming up for a fixed time instead gives every library the same chance to reach steady state.
export const FULL: MeasureOptions = { warmup: 3, warmupMs: 500, minReps: 5, maxReps: 2000, budgetMs: 3000 };
export const QUICK: MeasureOptions = { warmup: 1, warmupMs: 50, minReps: 3, maxReps: 200, budgetMs: 300 };

/** The options for one of `rounds` rounds: the time and step budgets shared out, the warm-up kept whole. */
export function forRounds(opts: MeasureOptions, rounds: number): MeasureOptions {
  return { ...opts, budgetMs: opts.budgetMs / rounds, maxReps: Math.max(opts.minReps, Math.ceil(opts.maxReps / rounds)) };
}

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
  const warmupEnd = performance.now() + opts.warmupMs;
  for (let i = 0; i < opts.warmup || performance.now() < warmupEnd; i++) await step();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < opts.maxReps && (times.length < opts.minReps || performance.now() - start < opts.budgetMs)) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), reps: times.length };
}
