import { isFloat, promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor } from './operand.js';
import { reshape } from './shape-ops.js';

/**
 * A per-dimension option: one number for every spatial dimension, or one per dimension (height, width).
 * @example conv2d(x, w, null, { stride: [2, 1] }); // stride 2 down the rows, 1 along them
 */
export type SpatialArg = number | readonly number[];

/**
 * The resolved geometry of a 2-D convolution as its kernels see it. `padding` is the zero padding before
 * the first row and column (top, left); the padding after the last is whatever `outSize` implies, which is
 * how PyTorch's asymmetric 'same' padding (the odd extra row on the bottom) needs no copy of the input.
 *
 * @example
 * // A 3×3 convolution with stride 2 and padding 1 of a 7×7 image gives 4×4:
 * const g: ConvGeometry = { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1, outSize: [4, 4] };
 */
export interface ConvGeometry {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
  /** Spatial size of the op's result: the output image, or the kernel for a weight gradient. */
  outSize: [number, number];
}

/**
 * Expands `value` to one integer per spatial dimension, each at least `min`, naming the op and option
 * when it does not fit (PyTorch accepts an int or a tuple of that length).
 */
export function perDim(op: string, field: string, value: SpatialArg, dims: number, min: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(dims).fill(value) : [...value];
  if (list.length !== dims || list.some((v) => !Number.isInteger(v) || v < min)) {
    const shown = typeof value === 'number' ? String(value) : `[${value.join(', ')}]`;
    throw new ValueError(op, `${field} must be an integer ≥ ${min} or a list of ${dims} of them, got ${shown}`);
  }
  return list;
}

/** A 2-D pair from a 1-D (height 1) or 2-D per-dimension list; `fill` is the height entry for 1-D. */
export function asPair(values: readonly number[], fill: number): [number, number] {
  return values.length === 1 ? [fill, values[0]] : [values[0], values[1]];
}

/**
 * Adds the batch axis to an unbatched input (rank `spatial + 1`), which ops accept as PyTorch does; returns
 * the batched tensor and whether `fromBatched` must remove the axis from the result again.
 */
export function toBatched(op: string, x: Tensor, spatial: number): [Tensor, boolean] {
  checkTensor(op, x);
  if (x.rank === spatial + 2) return [x, false];
  if (x.rank !== spatial + 1) {
    const layout = spatial === 1 ? '[N, C, L] or [C, L]' : '[N, C, H, W] or [C, H, W]';
    throw new ShapeError(op, `expected input of shape ${layout}, got ${fmtShape(x.shape)}`);
  }
  return [reshape(x, [1, ...x.shape]), true];
}

/** Removes the batch axis `toBatched` added. */
export function fromBatched(y: Tensor, unbatched: boolean): Tensor {
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

/** Views an [N, C, L] tensor as [N, C, 1, L] so that 1-D ops run on the 2-D kernels. */
export function as2d(x: Tensor): Tensor {
  return x.rank === 3 ? reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]) : x;
}

/** Undoes `as2d` on a result when the op was 1-D. */
export function from2d(y: Tensor, spatial: number): Tensor {
  return spatial === 1 ? reshape(y, [y.shape[0], y.shape[1], y.shape[3]]) : y;
}

/** Casts the float operands of an op to their common float dtype, rejecting integer or bool tensors. */
export function commonFloat(op: string, tensors: readonly (Tensor | null)[]): (Tensor | null)[] {
  let dtype: Tensor['dtype'] | null = null;
  for (const [i, t] of tensors.entries()) {
    if (t === null) continue;
    checkTensor(op, t);
    if (!isFloat(t.dtype)) throw new DTypeError(op, `operand ${i} must be float32 or float64, got ${t.dtype}`);
    dtype = dtype === null ? t.dtype : promoteTypes(dtype, t.dtype);
  }
  return tensors.map((t) => (t === null || dtype === null ? t : cast(t, dtype)));
}
