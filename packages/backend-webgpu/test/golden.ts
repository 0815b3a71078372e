// What the golden suites on webgpu share: fixture tensors decoded for the GPU (float64 as float32, since WGSL
// has no float64), ops run with webgpu active on inputs already in GPU buffers, and results read back with
// `await t.read()` and compared with PyTorch at float32 tolerances.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { setBackend, tensor, Tensor, type DType } from '@backprop/tensor';
import { onGpu } from './helpers.js';

/** A tensor as the fixture generators encode it (tooling/fixtures/common.py; non-finite values as strings). */
export interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * The least tolerance a float result is held to on webgpu. Cases written in float64 run in float32: their
 * inputs are rounded to float32 (a relative change of 6e-8) and every kernel computes in float32 (sums,
 * products and dot products of the fixtures' up to a few hundred terms accumulate in float32, where cpu
 * accumulates in float64). Float32 cases meet the GPU's math functions, which WGSL lets be several ULP off
 * and more for large arguments (`exp(x)` 3 + 2·|x| ULP: exp(50) is 1.1e-6 off on SwiftShader). Through the
 * fixtures' ops (compositions such as variance, norms, softplus or the pooling and convolution gradients,
 * of values of order 1 to 10) that rounding grows to a few 1e-6 relative, so 1e-4 relative plus 1e-5
 * absolute (for results near zero, made by cancellation) leaves a margin of ten without hiding a wrong
 * kernel, whose errors are of the order of the values themselves. Integer and bool results stay exact.
 */
export const FLOAT32: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** The fixture's tolerance for a result of `dtype`, widened to `FLOAT32` for float results. */
export function gpuTolerance(tol: Tolerance, dtype: DType): Tolerance {
  return dtype.startsWith('float') ? { rtol: Math.max(tol.rtol, FLOAT32.rtol), atol: Math.max(tol.atol, FLOAT32.atol) } : tol;
}

/** Reads a fixture file given relative to this folder. */
export function readFixture<C>(path: string): { torch?: string; cases: C[] } {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { torch?: string; cases: C[] };
}

const ARRAYS = { float32: Float32Array, float64: Float32Array, int32: Int32Array, bool: Uint8Array };

/** The dtype a fixture tensor has on webgpu: float64 runs as float32. */
export const gpuDType = (dtype: DType): DType => (dtype === 'float64' ? 'float32' : dtype);

/** A fixture tensor on the host, float64 rounded to float32. */
export function decodeHost(e: Encoded): Tensor {
  return tensor(ARRAYS[e.dtype].from(e.data.map(Number)), e.shape);
}

/** A fixture tensor in a GPU buffer, float64 rounded to float32. */
export function decodeGpu(e: Encoded): Tensor {
  return onGpu(decodeHost(e));
}

/** A layer config with every float64 dtype option asking for float32. */
export const float32Config = (config: unknown): unknown =>
  Array.isArray(config)
    ? config.map(float32Config)
    : typeof config === 'object' && config !== null
      ? Object.fromEntries(Object.entries(config).map(([k, v]) => [k, k === 'dtype' && v === 'float64' ? 'float32' : float32Config(v)]))
      : config;

/** Runs `f` with webgpu active, restoring cpu after it. */
export function onWebGpu<R>(f: () => R): R {
  setBackend('webgpu');
  try {
    return f();
  } finally {
    setBackend('cpu');
  }
}

/**
 * Expects `got` to live on `device` (the GPU unless said; null: either), to have the shape and the (float32 for float64)
 * dtype of `want`, and values, read with `await got.read()`, within |got − want| ≤ atol + rtol·|want| of the
 * fixture's tolerance widened by `gpuTolerance` (NaN matches NaN, equal infinities match).
 */
export async function expectGolden(got: Tensor | undefined, want: Encoded, fixtureTol: Tolerance, what: string, device: string | null = 'webgpu'): Promise<void> {
  expect(got, what).toBeInstanceOf(Tensor);
  if (device !== null) expect(got!.device, `${what} device`).toBe(device);
  const tol = gpuTolerance(fixtureTol, want.dtype);
  expect(got!.dtype, `${what} dtype`).toBe(gpuDType(want.dtype));
  expect(got!.shape, `${what} shape`).toEqual(want.shape);
  const values = await got!.read();
  want.data.map(Number).forEach((w, i) => {
    const g = Number(values[i]);
    const same = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w);
    if (!same) expect.fail(`${what} element ${i}: got ${g}, PyTorch ${w} (difference ${Math.abs(g - w)})`);
  });
}
