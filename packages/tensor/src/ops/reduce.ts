import { runKernel } from '../backend.js';
import { arithmeticType, floatType } from '../dtype.js';
import { ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { add, div, eq, exp, log, mul, sub } from './elementwise.js';
import { where } from './indexing-where.js';
import { checkTensor } from './operand.js';
import { reshape } from './shape-ops.js';

type Axes = number | readonly number[] | undefined;

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) out[i] = axes.indexOf(i) >= 0 ? 1 : shape[i];
  return out;
}

/** `normalizeAxes` without its sets and closures for the two common forms: every axis, and one axis. */
function reductionAxes(op: string, axesArg: Axes, rank: number): number[] {
  if (axesArg === undefined) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  if (typeof axesArg === 'number') return [normalizeAxis(op, axesArg, rank)];
  return normalizeAxes(op, axesArg, rank);
}

type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

function reduce(op: ReduceOp, x: Tensor, axesArg: Axes, keepDims: boolean, pickOne = false): Tensor {
  checkTensor(op, x);
  const axes = reductionAxes(op, axesArg, x.rank);
  if (op === 'max' || op === 'min') {
    for (const a of axes) {
      if (x.shape[a] === 0) throw new ShapeError(op, `cannot reduce over an empty axis of shape ${fmtShape(x.shape)}`);
    }
  }
  const dtype = op === 'sum' || op === 'prod' ? arithmeticType(x.dtype) : x.dtype;
  const input = x.dtype === dtype ? x : cast(x, dtype);
  const out = recordOp(recordedAs(op, axesArg, pickOne), [input], { axes }, wrap(runKernel(op, [input], { axes, dtype })));
  return keepDims ? reshape(out, keptShape(x.shape, axes)) : out;
}

/**
 * `max`/`min` along one axis given as a number are PyTorch's `torch.max(x, dim)`: the whole gradient goes to
 * the position `argmax`/`argmin` returns (the first among ties). Over several axes or all of them (and
 * always for `amax`/`amin`) the gradient is shared equally among ties, as `torch.amax`.
 */
function recordedAs(op: ReduceOp, axesArg: Axes, pickOne: boolean): string {
  return pickOne && typeof axesArg === 'number' ? (op === 'max' ? 'maxAlongAxis' : 'minAlongAxis') : op;
}

/**
 * Sum over `axes` (all when omitted), dropping them unless `keepDims`.
 * @example sum(tensor([[1, 2], [3, 4]]), 0).toArray(); // [4, 6]
 */
export const sum = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduce('sum', x, axes, keepDims);
/** Product over `axes`. */
export const prod = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduce('prod', x, axes, keepDims);
/**
 * Maximum over `axes`. With one axis given as a number this is `torch.max(x, dim)`'s value: its gradient
 * goes to the one position `argmax` returns. Over several axes (an array) or all of them the gradient is
 * shared equally among ties, as `torch.amax` (see {@link amax}).
 * @example max(tensor([[1, 5], [3, 2]]), 1).toArray(); // [5, 3]
 */
export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduce('max', x, axes, keepDims, true);
/**
 * Minimum over `axes`; the gradient rule is {@link max}'s (one axis number: to the `argmin` position).
 * @example min(tensor([[1, 5], [3, 2]]), 1).toArray(); // [1, 2]
 */
export const min = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduce('min', x, axes, keepDims, true);
/**
 * Maximum over `axes` (all when omitted), as `torch.amax`: the gradient is shared equally among ties.
 * @example amax(tensor([[1, 5], [3, 2]]), [0, 1]).item(); // 5
 */
export const amax = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduce('max', x, axes, keepDims);
/**
 * Minimum over `axes` (all when omitted), as `torch.amin`: the gradient is shared equally among ties.
 * @example amin(tensor([[1, 5], [3, 2]]), 0).toArray(); // [1, 2]
 */
export const amin = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduce('min', x, axes, keepDims);

/** Number of elements a reduction over `axes` combines. */
function countOver(x: Tensor, axes: Axes, op: string): number {
  let n = 1;
  for (const a of reductionAxes(op, axes, x.rank)) n *= x.shape[a];
  return n;
}

/** Arithmetic mean over `axes`. */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkTensor('mean', x);
  const xf = cast(x, floatType(x.dtype));
  return div(sum(xf, axes, keepDims), countOver(x, axes, 'mean'));
}

/**
 * Variance over `axes`; `correction` 1 (default, as torch.var) divides by n − 1, 0 by n.
 * @example variance(tensor([1, 2, 3, 4]), undefined, false, 0).item(); // 1.25
 */
export function variance(x: Tensor, axes?: Axes, keepDims = false, correction = 1): Tensor {
  checkTensor('variance', x);
  const xf = cast(x, floatType(x.dtype));
  const centered = sub(xf, mean(xf, axes, true));
  const n = countOver(x, axes, 'variance');
  return div(sum(mul(centered, centered), axes, keepDims), Math.max(n - correction, 0));
}

/** Standard deviation: √variance. Where it is 0 its gradient is 0 (not NaN), as torch.std. */
export function std(x: Tensor, axes?: Axes, keepDims = false, correction = 1): Tensor {
  const v = variance(x, axes, keepDims, correction);
  return recordOp('stdFromVariance', [v], {}, wrap(runKernel('sqrt', [v], { dtype: v.dtype })));
}

/**
 * log Σ exp(x) over `axes`, shifted by the max so that it neither overflows nor underflows.
 * @example logSumExp(tensor([1000, 1000])).item(); // 1000.6931…
 */
export function logSumExp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkTensor('logSumExp', x);
  const xf = cast(x, floatType(x.dtype));
  // The shift is a constant for differentiation: detaching it keeps the gradient exactly softmax.
  const m = max(xf.detach(), axes, true);
  // An all −∞ (or ±∞/NaN) slice shifts by 0 instead: m − m is 0 exactly where m is finite. Built from ops,
  // so the shift is computed wherever m lives.
  const finiteShift = where(eq(sub(m, m), 0), m, 0);
  const s = log(sum(exp(sub(xf, finiteShift)), axes, true));
  const out = add(s, finiteShift);
  return keepDims ? out : reshape(out, out.shape.filter((_, i) => !normalizeAxes('logSumExp', axes, x.rank).includes(i)));
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  checkTensor(op, x);
  if (x.size === 0) throw new ShapeError(op, `cannot take ${op} of an empty tensor of shape ${fmtShape(x.shape)}`);
  if (axis === undefined) {
    const flat = reshape(x.detach(), [x.size]);
    const r = wrap(runKernel(op, [flat], { axis: 0 }));
    const out = recordOp(op, [x], { axis }, r);
    return keepDims ? reshape(out, x.shape.map(() => 1)) : out;
  }
  const ax = normalizeAxis(op, axis, x.rank);
  const out = recordOp(op, [x], { axis: ax }, wrap(runKernel(op, [x], { axis: ax })));
  return keepDims ? reshape(out, keptShape(x.shape, [ax])) : out;
}

/** Index (int32) of the largest value along `axis`, or in the flattened tensor; the first on ties. */
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmax', x, axis, keepDims);
/** Index (int32) of the smallest value along `axis`, or in the flattened tensor. */
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmin', x, axis, keepDims);
