import { runKernel } from '../backend.js';
import { ShapeError, ValueError } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { exemptRead } from '../compile/hooks.js';
import { wrap } from '../make.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

function checkInteger(op: string, name: string, value: number): void {
  if (!Number.isInteger(value)) throw new ValueError(op, `${name} must be an integer, got ${value}`);
}

/** Python's slice bounds: a negative index counts from the end, then everything clamps into [0, n]. */
function clampBound(i: number, n: number): number {
  return Math.min(Math.max(i < 0 ? i + n : i, 0), n);
}

/**
 * The elements `start`, `start + step`, … before `end` along `axis`, as Python's `x[..., start:end:step]`:
 * negative bounds count from the end and out-of-range bounds clamp; `end` defaults to the axis size and
 * `step` (default 1) must be positive. When every axis before `axis` has size 1 (e.g. slicing axis 0) and
 * `step` is 1, the result shares `x`'s data (a view); otherwise it is a copy.
 *
 * @example
 * const x = arange(10);
 * slice(x, 0, 2, 8, 3).toArray(); // [2, 5]
 * slice(x, 0, -3).toArray();      // [7, 8, 9]
 */
export function slice(x: Tensor, axis: number, start = 0, end?: number, step = 1): Tensor {
  checkTensor('slice', x);
  if (x.rank === 0) throw new ShapeError('slice', 'cannot slice a 0-d tensor');
  const a = normalizeAxis('slice', axis, x.rank);
  checkInteger('slice', 'start', start);
  if (end !== undefined) checkInteger('slice', 'end', end);
  if (!Number.isInteger(step) || step <= 0) throw new ValueError('slice', `step must be a positive integer, got ${step}`);
  const n = x.shape[a];
  const lo = clampBound(start, n);
  const hi = clampBound(end ?? n, n);
  const length = hi > lo ? Math.ceil((hi - lo) / step) : 0;
  if (lo === 0 && length === n && step === 1) return x;
  const shape = [...x.shape];
  shape[a] = length;
  const attrs = { axis: a, start: lo, step, length };
  if (step === 1 && x.storage.isHost && sizeOf(x.shape.slice(0, a)) === 1) {
    // The selected elements are one contiguous run, so a subarray is the view PyTorch would return.
    const inner = sizeOf(x.shape.slice(a + 1));
    return recordOp('slice', [x], attrs, new Tensor(exemptRead(() => x.data).subarray(lo * inner, (lo + length) * inner), shape, x.dtype));
  }
  return recordOp('slice', [x], attrs, wrap(runKernel('slice', [x], attrs)));
}

/**
 * `length` elements of `axis` from `start`, as `torch.narrow`; a negative `start` counts from the end.
 * Shares data under the same condition as {@link slice}.
 *
 * @example
 * narrow(tensor([[1, 2, 3], [4, 5, 6]]), 1, 1, 2).toArray(); // [[2, 3], [5, 6]]
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor('narrow', x);
  if (x.rank === 0) throw new ShapeError('narrow', 'cannot narrow a 0-d tensor');
  const a = normalizeAxis('narrow', axis, x.rank);
  const n = x.shape[a];
  checkInteger('narrow', 'start', start);
  checkInteger('narrow', 'length', length);
  if (start < -n || start > n) {
    throw new ValueError('narrow', `start ${start} is out of range for axis ${axis} of size ${n} (expected ${-n}..${n})`);
  }
  const s = start < 0 ? start + n : start;
  if (length < 0 || s + length > n) {
    throw new ValueError('narrow', `start (${s}) + length (${length}) exceeds size ${n} of axis ${axis} (expected 0 <= length <= ${n - s})`);
  }
  return slice(x, a, s, s + length);
}

/**
 * Reverses the order of elements along `axes`, as `torch.flip` (always a copy).
 *
 * @example
 * flip(tensor([[1, 2], [3, 4]]), 1).toArray(); // [[2, 1], [4, 3]]
 */
export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  checkTensor('flip', x);
  const list = normalizeAxes('flip', axes, x.rank);
  if (list.length === 0) return x;
  return recordOp('flip', [x], { axes: list }, wrap(runKernel('flip', [x], { axes: list })));
}
