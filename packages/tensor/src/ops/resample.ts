import { runKernel } from '../backend.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, requireFloat } from './operand.js';

/**
 * The taps of a resampling along one axis: output position i is Σ_t weight[i·taps + t] ·
 * x[index[i·taps + t]]. Linear interpolation has 2 taps, cubic 4; `inSize` is the input axis's length.
 *
 * @example
 * // Two outputs halfway between inputs 0 and 1, and between 1 and 2:
 * const halves: ResampleTaps = { taps: 2, inSize: 3, index: Int32Array.of(0, 1, 1, 2), weight: Float64Array.of(0.5, 0.5, 0.5, 0.5) };
 */
export interface ResampleTaps {
  /** Input positions per output position. */
  taps: number;
  /** The length of the input axis. */
  inSize: number;
  /** Input positions, `taps` per output position. */
  index: Int32Array;
  /** Their weights. */
  weight: Float64Array;
}

function check(op: string, x: Tensor, axis: number, taps: ResampleTaps, size: number): number {
  checkTensor(op, x);
  requireFloat(op, x);
  if (x.rank < 1) throw new ShapeError(op, 'input must have at least one axis, got a 0-d tensor');
  const a = normalizeAxis(op, axis, x.rank);
  const { index, weight, taps: t, inSize } = taps;
  if (!(Number.isInteger(t) && t >= 1) || index.length !== weight.length || index.length % t !== 0 || index.length === 0) {
    throw new ValueError(op, `taps need an index and a weight of one length, a non-zero multiple of taps = ${t}`);
  }
  if (x.shape[a] !== size) throw new ShapeError(op, `axis ${axis} of ${fmtShape(x.shape)} must have size ${size}`);
  for (const i of index) if (!(i >= 0 && i < inSize)) throw new ValueError(op, `tap index ${i} is outside [0, ${inSize})`);
  return a;
}

/**
 * Resamples axis `axis` of `x` through `taps` (see `ResampleTaps`): the primitive under `interpolate`'s
 * linear, bilinear and bicubic modes (one call per axis). Linear in x, with `resampleAxisBackward` as its
 * adjoint, which is its gradient.
 *
 * @example
 * const t = { taps: 2, inSize: 2, index: Int32Array.of(0, 1, 0, 1), weight: Float64Array.of(1, 0, 0.5, 0.5) };
 * resampleAxis(tensor([[2, 4]]), -1, t).toArray(); // [[2, 3]]
 */
export function resampleAxis(x: Tensor, axis: number, taps: ResampleTaps): Tensor {
  const op = 'resampleAxis';
  const a = check(op, x, axis, taps, taps.inSize);
  const shape = x.shape.map((d, i) => (i === a ? taps.index.length / taps.taps : d));
  const attrs = { axis: a, taps };
  return recordOp(op, [x], attrs, wrap(runKernel(op, [x], { ...attrs, shape, backward: false })));
}

/**
 * The adjoint of `resampleAxis`: adds each element of `grad` times its tap weights into the taps'
 * positions of a result whose axis `axis` has `taps.inSize` elements.
 *
 * @example
 * const t = { taps: 2, inSize: 2, index: Int32Array.of(0, 1, 0, 1), weight: Float64Array.of(1, 0, 0.5, 0.5) };
 * resampleAxisBackward(tensor([[1, 1]]), -1, t).toArray(); // [[1.5, 0.5]]
 */
export function resampleAxisBackward(grad: Tensor, axis: number, taps: ResampleTaps): Tensor {
  const op = 'resampleAxisBackward';
  const a = check(op, grad, axis, taps, taps.index.length / taps.taps);
  const shape = grad.shape.map((d, i) => (i === a ? taps.inSize : d));
  const attrs = { axis: a, taps };
  return recordOp(op, [grad], attrs, wrap(runKernel('resampleAxis', [grad], { ...attrs, shape, backward: true })));
}
