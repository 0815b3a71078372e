import { runKernel } from '../backend.js';
import { ValueError } from '../errors.js';
import { wrap } from '../make.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gather } from './indexing-gather.js';
import { checkTensor } from './operand.js';
import { reshape } from './shape-ops.js';

/** Sorted values with the positions (int32) they came from, as PyTorch's `(values, indices)` pairs. */
export interface ValuesIndices {
  /** The selected values, differentiable. */
  values: Tensor;
  /** Where each value came from along the axis (int32). */
  indices: Tensor;
}

/**
 * The values at `indices` along `axis`: a gather, so the values' gradient goes back to those positions.
 * Indices come from a kernel that is not recorded (they have no gradient).
 */
function pick(x: Tensor, axis: number, indices: Tensor): ValuesIndices {
  return { values: gather(x, axis, indices), indices };
}

/** A 0-d tensor is sorted as a one-element line, as in PyTorch (axis 0 or −1). */
function asLine(op: string, x: Tensor, axis: number): [Tensor, number] {
  checkTensor(op, x);
  if (x.rank === 0) {
    normalizeAxis(op, axis, 1);
    return [reshape(x, [1]), 0];
  }
  return [x, normalizeAxis(op, axis, x.rank)];
}

function restore(x: Tensor, r: ValuesIndices): ValuesIndices {
  return x.rank === 0 ? { values: reshape(r.values, []), indices: reshape(r.indices, []) } : r;
}

/**
 * Sorts along `axis` (default −1), ascending unless `descending`, as `torch.sort`. NaN sorts as the largest
 * value. Equal values keep their original order in both directions: the sort is always stable, so `stable`
 * is accepted for PyTorch's signature and changes nothing. The values' gradient flows back to the
 * positions they came from.
 *
 * @example
 * const { values, indices } = sort(tensor([3, 1, 2]));
 * values.toArray(); // [1, 2, 3]
 * indices.toArray(); // [1, 2, 0] (int32)
 */
export function sort(x: Tensor, axis = -1, descending = false, stable = false): ValuesIndices {
  void stable;
  const [line, a] = asLine('sort', x, axis);
  const indices = wrap(runKernel('argsort', [line.detach()], { axis: a, descending }));
  return restore(x, pick(line, a, indices));
}

/**
 * The positions (int32) that sort `x` along `axis`, as `torch.argsort`: `sort(x, ...).indices`.
 *
 * @example
 * argsort(tensor([3, 1, 2]), -1, true).toArray(); // [0, 2, 1]
 */
export function argsort(x: Tensor, axis = -1, descending = false, stable = false): Tensor {
  return sort(x, axis, descending, stable).indices;
}

/**
 * The `k` largest (or, with `largest` false, smallest) values along `axis` (default −1) and their
 * positions, as `torch.topk`. NaN counts as the largest value; among equal values the lower position comes
 * first. The result is always in sorted order (`sorted` false is allowed: PyTorch then leaves the order
 * unspecified). The values' gradient flows back to their positions.
 *
 * @example
 * const { values, indices } = topk(tensor([1, 5, 3, 4]), 2);
 * values.toArray(); // [5, 4]
 * indices.toArray(); // [1, 3]
 */
export function topk(x: Tensor, k: number, axis = -1, largest = true, sorted = true): ValuesIndices {
  void sorted;
  const [line, a] = asLine('topk', x, axis);
  const n = line.shape[a];
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new ValueError('topk', `k must be an integer in [0, ${n}] (the size of axis ${axis}), got ${k}`);
  }
  const indices = wrap(runKernel('topk', [line.detach()], { axis: a, k, largest }));
  return restore(x, pick(line, a, indices));
}
