import { Tensor, ValueError, type Generator } from '@backprop/tensor';
import { resolveGenerator, type SeedOptions } from '../random-source.js';

/** Options of the synthetic sets: the noise level and where the random numbers come from. */
export interface SyntheticOptions extends SeedOptions {
  /** How noisy the set is; each generator documents its meaning and default. */
  noise?: number;
}

/** A synthetic set: points x [n, 2] (float32) and targets y [n] (int32 classes or float32 values). */
export interface SyntheticData {
  x: Tensor;
  y: Tensor;
}

/** One sample: the point's two coordinates and its target. */
export type Sample = [x1: number, x2: number, target: number];

/**
 * Builds a set from `sample(i, g, noise)` for i = 0..n−1, after checking `n` and the noise level, so every
 * generator validates its arguments and lays out its tensors the same way.
 */
export function buildSet(
  op: string,
  n: number,
  options: SyntheticOptions,
  defaultNoise: number,
  targets: 'int32' | 'float32',
  sample: (i: number, g: Generator, noise: number) => Sample,
): SyntheticData {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(op, `n must be a positive integer, got ${n}`);
  const noise = options.noise ?? defaultNoise;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new ValueError(op, `noise must be a finite number ≥ 0, got ${noise}`);
  const g = resolveGenerator(op, options);
  const x = new Float32Array(n * 2);
  const y = targets === 'int32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    [x[2 * i], x[2 * i + 1], y[i]] = sample(i, g, noise);
  }
  return { x: new Tensor(x, [n, 2], 'float32'), y: new Tensor(y, [n], targets) };
}

/** The class of sample i when n samples are divided into `k` classes in order: sizes differ by at most one. */
export function classOf(i: number, n: number, k: number): { label: number; index: number; size: number } {
  const base = Math.floor(n / k);
  const extra = n % k; // the first `extra` classes hold one more sample
  const bigEnd = extra * (base + 1);
  const label = i < bigEnd ? Math.floor(i / (base + 1)) : extra + Math.floor((i - bigEnd) / base);
  const start = label < extra ? label * (base + 1) : bigEnd + (label - extra) * base;
  return { label, index: i - start, size: label < extra ? base + 1 : base };
}
