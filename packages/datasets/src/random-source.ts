import { Generator, getDefaultGenerator, ValueError } from '@backprop/tensor';

/** Where random numbers come from: a `generator` to share, or a `seed` for a fresh one. */
export interface SeedOptions {
  /** Drawn from, and advanced, by the call (give a generator or a seed, not both). */
  generator?: Generator;
  /** Seeds a new generator for this call (or this loader), so the same seed gives the same result. */
  seed?: number;
}

/** The generator a seeded function uses: the given one, a new one from `seed`, or the default generator. */
export function resolveGenerator(op: string, options: SeedOptions = {}): Generator {
  if (options.generator && options.seed !== undefined) {
    throw new ValueError(op, 'give either a generator or a seed, not both');
  }
  if (options.generator) return options.generator;
  if (options.seed !== undefined) return new Generator(options.seed);
  return getDefaultGenerator();
}

/** A uniform double in [low, high). */
export function uniform(g: Generator, low: number, high: number): number {
  return low + (high - low) * g.random();
}

/** Fisher–Yates shuffle of `values` in place, returning it. */
export function shuffleInPlace<T>(values: T[], g: Generator): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}

/** 0..n−1 in a random order. */
export function shuffledIndices(n: number, g: Generator): number[] {
  return shuffleInPlace(Array.from({ length: n }, (_, i) => i), g);
}
