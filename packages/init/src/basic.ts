import { fill_, type DType, type Tensor } from '@backprop/tensor';
import { assign, checkFloat, checkNumber, creating, generatorOf, type InitOptions } from './options.js';

/**
 * Fills `t` with `value` in place (PyTorch's `constant_`) and returns it.
 * @example constant_(zeros([2, 2]), 0.5).toArray(); // [[0.5, 0.5], [0.5, 0.5]]
 */
export function constant_(t: Tensor, value: number): Tensor {
  return fill_(t, checkNumber('constant_', 'value', value));
}

/** Fills `t` with zeros in place (PyTorch's `zeros_`). @example zeros_(linear.bias!); */
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);

/** Fills `t` with ones in place (PyTorch's `ones_`). @example ones_(norm.weight); */
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/** Options of `uniform_`: the interval [a, b). */
export interface UniformOptions extends InitOptions {
  /** Lower bound (default 0). */
  a?: number;
  /** Upper bound (default 1). */
  b?: number;
}

/**
 * Fills `t` in place with draws from U(a, b), defaults a = 0, b = 1 (PyTorch's `uniform_`).
 * @example uniform_(zeros([3]), { a: -1, b: 1, generator: new Generator(0) });
 */
export function uniform_(t: Tensor, options: UniformOptions = {}): Tensor {
  checkFloat('uniform_', t);
  const a = checkNumber('uniform_', 'a', options.a ?? 0);
  const b = checkNumber('uniform_', 'b', options.b ?? 1, a);
  const g = generatorOf(options);
  return assign(t, (data) => {
    for (let i = 0; i < data.length; i++) data[i] = a + (b - a) * g.random();
  });
}

/** Options of `normal_`. */
export interface NormalOptions extends InitOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  std?: number;
}

/**
 * Fills `t` in place with draws from N(mean, std²), defaults mean = 0, std = 1 (PyTorch's `normal_`).
 * @example normal_(zeros([3]), { std: 0.02, generator: new Generator(0) });
 */
export function normal_(t: Tensor, options: NormalOptions = {}): Tensor {
  checkFloat('normal_', t);
  const mean = checkNumber('normal_', 'mean', options.mean ?? 0);
  const std = checkNumber('normal_', 'std', options.std ?? 1, 0);
  const g = generatorOf(options);
  return assign(t, (data) => {
    for (let i = 0; i < data.length; i++) data[i] = mean + std * g.normal();
  });
}

/**
 * A new tensor of `shape` filled with `value` (dtype float32 unless given).
 * @example constant([2], 3).toArray(); // [3, 3]
 */
export const constant = (shape: readonly number[], value: number, options: { dtype?: DType } = {}): Tensor =>
  creating<object>((t: Tensor) => constant_(t, value))(shape, options);

/** A new tensor of zeros. @example zeros([2, 3]); */
export const zeros = creating<object>(zeros_);

/** A new tensor of ones. @example ones([2, 3]); */
export const ones = creating<object>(ones_);

/** A new tensor of U(a, b) draws (defaults a = 0, b = 1). @example uniform([2, 3], { a: -1, b: 1 }); */
export const uniform = creating<UniformOptions>(uniform_);

/** A new tensor of N(mean, std²) draws (defaults 0 and 1). @example normal([2, 3], { std: 0.02 }); */
export const normal = creating<NormalOptions>(normal_);
