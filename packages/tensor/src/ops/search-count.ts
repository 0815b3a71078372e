import { runKernel } from '../backend.js';
import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { scalar, wrap } from '../make.js';
import { shapesEqual } from '../shape.js';
import { deviceMemory } from '../storage.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor } from './operand.js';

/** Whether `t`'s values can be read on the host now: host arrays, or a device that reads synchronously. */
const readableNow = (t: Tensor): boolean => t.storage.isHost || deviceMemory(t.device)?.readSync !== undefined;

/**
 * Options of `searchsorted`, as PyTorch's (`right` false; `side` 'left' or 'right' says the same; `sorter`
 * the int32 indices that sort an unsorted `sortedSequence` along its last axis).
 * @example searchsorted(edges, x, { right: true });
 */
export interface SearchSortedOptions {
  /** Insert after equal elements (the last suitable index) instead of before them. Default false. */
  right?: boolean;
  /** 'left' or 'right': the same as `right`, as PyTorch also accepts. */
  side?: 'left' | 'right';
  /** int32 indices that sort `sortedSequence` along its last axis, for a sequence that is not sorted itself. */
  sorter?: Tensor | null;
}

/**
 * For every value, the index at which it would be inserted into `sortedSequence` to keep it sorted
 * (PyTorch's `torch.searchsorted`): the first index i with seq[i] ≥ v (or > v with `right`). A 1-D sequence
 * serves every value; otherwise its leading axes must equal those of `values`, one sorted row per row of
 * values. Returns int32 (PyTorch's int64; `out_int32`). A NaN sorts after every number. Not differentiable.
 *
 * @example
 * searchsorted(tensor([1, 3, 5, 7]), tensor([3, 6, 9])).toArray();                  // [1, 3, 4]
 * searchsorted(tensor([1, 3, 5, 7]), tensor([3, 6, 9]), { right: true }).toArray(); // [2, 3, 4]
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, options: SearchSortedOptions = {}): Tensor {
  const op = 'searchsorted';
  const seq = checkTensor(op, sortedSequence);
  const v = typeof values === 'number' ? scalar(values, isFloat(seq.dtype) ? seq.dtype : 'float32') : checkTensor(op, values);
  if (seq.dtype === 'bool' || v.dtype === 'bool') throw new DTypeError(op, 'sortedSequence and values must be numbers, not bool');
  const { side, sorter = null } = options;
  if (side !== undefined && side !== 'left' && side !== 'right') throw new ValueError(op, `side must be 'left' or 'right', got '${String(side)}'`);
  if (side !== undefined && options.right !== undefined && (side === 'right') !== options.right) {
    throw new ValueError(op, `side '${side}' and right ${options.right} contradict each other`);
  }
  const right = options.right ?? side === 'right';
  if (seq.rank === 0) throw new ShapeError(op, 'sortedSequence must have at least one axis, got a 0-d tensor');
  if (seq.rank > 1 && (v.rank !== seq.rank || !shapesEqual(seq.shape.slice(0, -1), v.shape.slice(0, -1)))) {
    throw new ShapeError(op, `a sortedSequence ${fmtShape(seq.shape)} of rank > 1 needs values with the same leading axes ${fmtShape(seq.shape.slice(0, -1))}, got ${fmtShape(v.shape)}`);
  }
  if (sorter !== null) {
    checkTensor(op, sorter);
    if (sorter.dtype !== 'int32') throw new DTypeError(op, `sorter must be int32, got ${sorter.dtype}`);
    if (!shapesEqual(sorter.shape, seq.shape)) throw new ShapeError(op, `sorter ${fmtShape(sorter.shape)} must have the shape of sortedSequence ${fmtShape(seq.shape)}`);
    const n = seq.shape[seq.rank - 1];
    // A sorter on a device stays there (reading it back would stall the device): its range is the
    // kernel's to respect. Host sorters, which is what users pass, are checked.
    for (const i of sorter.storage.isHost ? sorter.dataSync() : []) {
      if (!(i >= 0 && i < n)) throw new ValueError(op, `sorter holds index ${i}, outside [0, ${n})`);
    }
  }
  const inputs = sorter === null ? [seq, v] : [seq, v, sorter];
  return wrap(runKernel(op, inputs, { right, shape: v.shape }));
}

/**
 * Options of `bincount`, as PyTorch's.
 * @example bincount(labels, { minlength: 10 });
 */
export interface BincountOptions {
  /** A float weight per element, summed instead of counting 1. */
  weights?: Tensor | null;
  /** The least length of the result. */
  minlength?: number;
}

/**
 * Counts the occurrences of each value of a 1-D non-negative int32 tensor (PyTorch's `torch.bincount`):
 * a result of length max(max(input) + 1, minlength), int32, or of the weights' dtype when weights are given
 * (then each bin sums their weights). Not differentiable. The input must be on the host (or a device that reads
 * synchronously), since the result's length depends on its values: given one on webgpu it throws.
 *
 * @example
 * bincount(tensor([0, 2, 2, 3], 'int32')).toArray();                                  // [1, 0, 2, 1]
 * bincount(tensor([0, 2, 2], 'int32'), { weights: tensor([0.5, 1, 2]) }).toArray();   // [0.5, 0, 3]
 */
export function bincount(input: Tensor, options: BincountOptions = {}): Tensor {
  const op = 'bincount';
  const x = checkTensor(op, input);
  if (x.dtype !== 'int32') throw new DTypeError(op, `input must be an int32 tensor, got ${x.dtype}`);
  if (x.rank !== 1) throw new ShapeError(op, `input must be 1-D, got ${fmtShape(x.shape)}`);
  const { weights = null, minlength = 0 } = options;
  if (!Number.isInteger(minlength) || minlength < 0) throw new ValueError(op, `minlength must be an integer ≥ 0, got ${minlength}`);
  if (!readableNow(x)) {
    throw new ValueError(op, `the input lives on '${x.device}': the result's length is its largest value + 1, which cannot be read from there synchronously; pass the values on the host (await input.read())`);
  }
  let largest = -1;
  for (const v of x.dataSync()) {
    if (v < 0) throw new ValueError(op, `input must be non-negative, got ${v}`);
    largest = Math.max(largest, v);
  }
  const length = Math.max(largest + 1, minlength);
  if (weights === null) return wrap(runKernel(op, [x], { length, dtype: 'int32' }));
  checkTensor(op, weights);
  if (!shapesEqual(weights.shape, x.shape)) throw new ShapeError(op, `weights ${fmtShape(weights.shape)} must have the shape of input ${fmtShape(x.shape)}`);
  const w = isFloat(weights.dtype) ? weights : cast(weights, 'float64');
  // Recorded so that asking autograd for a gradient through the weights fails naming the op, as in PyTorch.
  return recordOp(op, [x, w], {}, wrap(runKernel(op, [x, w], { length, dtype: w.dtype })));
}

/**
 * A histogram of `input` with `bins` equal bins over [min, max] (PyTorch's `torch.histc`; defaults 100, 0,
 * 0). When min = max the data's own minimum and maximum are used (widened by 1 on each side if those are
 * equal too), which needs the input readable on the host: on webgpu pass min and max. Elements outside
 * the range are ignored; the maximum falls in the last bin. Returns the input's float dtype. Not
 * differentiable.
 *
 * @example
 * histc(tensor([1, 2, 1]), 4, 0, 3).toArray(); // [0, 2, 1, 0]
 */
export function histc(input: Tensor, bins = 100, min = 0, max = 0): Tensor {
  const op = 'histc';
  const x = checkTensor(op, input);
  if (!isFloat(x.dtype)) throw new DTypeError(op, `input must be float32 or float64, got ${x.dtype}`);
  if (!Number.isInteger(bins) || bins < 1) throw new ValueError(op, `bins must be a positive integer, got ${bins}`);
  if (!(Number.isFinite(min) && Number.isFinite(max))) throw new ValueError(op, `min and max must be finite, got ${min} and ${max}`);
  if (min > max) throw new ValueError(op, `max must be at least min, got min ${min} and max ${max}`);
  let [lo, hi] = [min, max];
  if (lo === hi && x.size > 0) {
    if (!readableNow(x)) throw new ValueError(op, `the input lives on '${x.device}': pass min and max rather than take the range from its values`);
    lo = Infinity;
    hi = -Infinity;
    for (const v of x.dataSync()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(Number.isFinite(lo) && Number.isFinite(hi))) throw new ValueError(op, `range of [${lo}, ${hi}] is not finite`);
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  return recordOp(op, [x], {}, wrap(runKernel(op, [x], { bins, min: lo, max: hi })));
}
