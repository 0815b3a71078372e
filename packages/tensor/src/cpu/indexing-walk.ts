import type { TypedArray } from '../dtype.js';

/**
 * Row-major odometer over every axis of `shape` but the last. Advances `counter` by one row and moves each
 * operand's offset by that operand's strides, so a kernel walks n-d operands with one call per row and a
 * plain loop inside the row (no per-element index arithmetic, closures or allocations).
 */
export function nextRow(counter: number[], shape: readonly number[], offsets: number[], strides: readonly (readonly number[])[]): void {
  for (let d = shape.length - 2; d >= 0; d--) {
    counter[d]++;
    for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
    if (counter[d] < shape[d]) return;
    for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * shape[d];
    counter[d] = 0;
  }
}

/** Length of the rows `nextRow` walks: the last axis, or 1 for a 0-d shape. */
export function rowLength(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : shape[shape.length - 1];
}

/** The stride along the last axis (0 for a 0-d shape, whose single row has one element). */
export function lastStride(strides: readonly number[]): number {
  return strides.length === 0 ? 0 : strides[strides.length - 1];
}

/**
 * Copies the elements of a `shape`-sized region: element at multi-index i goes from
 * `src[srcOffset + Σ i·srcStrides]` to `dst[dstOffset + Σ i·dstStrides]`. Slices, flips and padding are
 * all such copies with different strides and offsets (negative strides walk backwards).
 */
export function stridedCopy(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  let size = 1;
  for (const d of shape) size *= d;
  if (size === 0) return;
  const n = rowLength(shape);
  const ss = lastStride(srcStrides);
  const ds = lastStride(dstStrides);
  const counter = new Array<number>(shape.length).fill(0);
  const offsets = [srcOffset, dstOffset];
  const strides = [srcStrides, dstStrides];
  for (let row = 0; row < size; row += n) {
    for (let i = 0, s = offsets[0], t = offsets[1]; i < n; i++, s += ss, t += ds) dst[t] = src[s];
    nextRow(counter, shape, offsets, strides);
  }
}
