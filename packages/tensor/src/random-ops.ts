import { allocData, isFloat, type DType } from './dtype.js';
import { DTypeError, ValueError } from './errors.js';
import { getDefaultGenerator, type Generator } from './random.js';
import { checkShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export interface RandomOptions {
  dtype?: DType;
  /** Where the numbers come from; the default generator (see `manualSeed`) when omitted. */
  generator?: Generator;
}

function floatDtype(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? 'float32';
  if (!isFloat(d)) throw new DTypeError(op, `expected dtype float32 or float64, got ${d}`);
  return d;
}

/**
 * Uniform samples in [low, high) (default [0, 1)).
 * @example rand([2, 3], { generator: new Generator(0) });
 */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const s = checkShape('rand', shape);
  const dtype = floatDtype('rand', options.dtype);
  const g = options.generator ?? getDefaultGenerator();
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  const data = allocData(dtype, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * g.random();
  return new Tensor(data, s, dtype);
}

/** Normal samples with `mean` (default 0) and `std` (default 1). */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const s = checkShape('randn', shape);
  const dtype = floatDtype('randn', options.dtype);
  const g = options.generator ?? getDefaultGenerator();
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  const data = allocData(dtype, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * g.normal();
  return new Tensor(data, s, dtype);
}

/** Uniform integers in [low, high), int32 by default. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  const s = checkShape('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || low >= high) {
    throw new ValueError('randint', `needs integers low < high, got low=${low}, high=${high}`);
  }
  const g = options.generator ?? getDefaultGenerator();
  const data = allocData(options.dtype ?? 'int32', sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = g.integer(low, high);
  return new Tensor(data, s, options.dtype ?? 'int32');
}

/** 1 with probability `p` (a number or a tensor of probabilities), else 0. */
export function bernoulli(p: number | Tensor, shape?: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? getDefaultGenerator();
  const probs = typeof p === 'number' ? null : p;
  const s = checkShape('bernoulli', probs ? probs.shape : (shape ?? []));
  const dtype = options.dtype ?? (probs && isFloat(probs.dtype) ? probs.dtype : 'float32');
  const data = allocData(dtype, sizeOf(s));
  const pData = probs?.dataSync();
  for (let i = 0; i < data.length; i++) {
    const pi = pData ? Number(pData[i]) : (p as number);
    if (!(pi >= 0 && pi <= 1)) throw new ValueError('bernoulli', `probability ${pi} at index ${i} is outside [0, 1]`);
    data[i] = g.random() < pi ? 1 : 0;
  }
  return new Tensor(data, s, dtype);
}

/**
 * A random permutation of 0..n−1 (int32), by Fisher–Yates.
 * @example permutation(5, { generator: new Generator(1) });
 */
export function permutation(n: number, options: Omit<RandomOptions, 'dtype'> = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError('permutation', `n must be a non-negative integer, got ${n}`);
  const g = options.generator ?? getDefaultGenerator();
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  }
  return new Tensor(data, [n], 'int32');
}
