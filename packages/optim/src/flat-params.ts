import { Tensor, addInPlace_, copy_ } from '@backprop/tensor';
import type { FloatArray } from './state-dict.js';

// Second-order methods see all parameters as one vector θ; these move between that view and the tensors.

/** The total number of elements of `params`. */
export function numel(params: readonly Tensor[]): number {
  return params.reduce((n, p) => n + p.size, 0);
}

/** A zero-filled vector of `n` elements of the first parameter's float type. */
export function flatBuffer(params: readonly Tensor[], n = numel(params)): FloatArray {
  return params[0].dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** All gradients as one new vector, zeros where a parameter has none. */
export function gatherFlatGrad(params: readonly Tensor[]): FloatArray {
  const out = flatBuffer(params);
  let offset = 0;
  for (const p of params) {
    if (p.grad) out.set(p.grad.dataSync() as FloatArray, offset);
    offset += p.size;
  }
  return out;
}

/** All parameter values as one new vector. */
export function gatherFlatParams(params: readonly Tensor[]): FloatArray {
  const out = flatBuffer(params);
  let offset = 0;
  for (const p of params) {
    out.set(p.dataSync() as FloatArray, offset);
    offset += p.size;
  }
  return out;
}

/** θ ← θ + t·d, in place. */
export function addToParams(params: readonly Tensor[], t: number, d: ArrayLike<number>): void {
  let offset = 0;
  for (const p of params) {
    addInPlace_(p, slab(p, Float64Array.from({ length: p.size }, (_, i) => d[offset + i])), t);
    offset += p.size;
  }
}

/** θ ← values, in place. */
export function setParams(params: readonly Tensor[], values: FloatArray): void {
  let offset = 0;
  for (const p of params) {
    copy_(p, slab(p, values.subarray(offset, offset + p.size)));
    offset += p.size;
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** max |aᵢ| (the ∞-norm). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** `values` as a tensor of `p`'s shape and dtype (a copy), to write into `p` with one kernel. */
function slab(p: Tensor, values: ArrayLike<number>): Tensor {
  return new Tensor(p.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values), p.shape, p.dtype);
}
