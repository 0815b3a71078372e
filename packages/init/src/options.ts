import { DTypeError, Tensor, ValueError, copy_, getDefaultGenerator, isFloat, zeros, type DType, type Generator } from '@backprop/tensor';

/** Options every random initializer takes. */
export interface InitOptions {
  /** Where the numbers come from; the default generator (see `manualSeed`) when omitted. */
  generator?: Generator;
}

/** Extra option of the variants that create a new tensor. */
export interface CreateOptions {
  /** dtype of the new tensor (default float32). */
  dtype?: DType;
}

/** The generator to draw from. */
export function generatorOf(options: InitOptions): Generator {
  return options.generator ?? getDefaultGenerator();
}

/** Random values only make sense in float tensors; say which initializer refused. */
export function checkFloat(op: string, t: Tensor): void {
  if (!isFloat(t.dtype)) throw new DTypeError(op, `needs a float32 or float64 tensor, got ${t.dtype}`);
}

/** Throws unless `value` is a finite number (a `min` makes it a lower bound), naming the option. */
export function checkNumber(op: string, name: string, value: unknown, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const expected = min === -Infinity ? 'a finite number' : `a finite number ≥ ${min}`;
    throw new ValueError(op, `${name} must be ${expected}, got ${String(value)}`);
  }
  return value;
}

/**
 * Turns an in-place initializer into one that returns a new tensor of `shape`: both forms share one
 * implementation, so they cannot drift apart.
 */
export function creating<O extends object>(
  fill: (t: Tensor, options: O) => Tensor,
): (shape: readonly number[], options?: O & CreateOptions) => Tensor {
  return (shape, options = {} as O & CreateOptions) => fill(zeros(shape, { dtype: options.dtype ?? 'float32' }), options);
}

/**
 * Fills `t` in place with values computed on the host by `fill` (draws from a seeded generator), through
 * one `copy_` kernel, so a parameter that lives in a backend's memory is initialized there.
 */
export function assign(t: Tensor, fill: (out: Float32Array | Float64Array) => void): Tensor {
  const out = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
  fill(out);
  return copy_(t, new Tensor(out, t.shape, t.dtype));
}
