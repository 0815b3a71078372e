import { isFloat } from '../dtype.js';
import { full } from '../creation.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { abs, add, eq, gt, ne, sub } from './elementwise.js';
import { checkTensor, type Operand } from './operand.js';
import { sum } from './reduce.js';

/** Truth of each element (nonzero, NaN included), as int32 0/1 so that counts are sums. */
const truth = (op: string, x: Operand): Tensor => {
  if (typeof x !== 'number') checkTensor(op, x);
  return cast(ne(x, 0), 'int32');
};

/**
 * Whether any element over `axes` (all when omitted) is nonzero, as `torch.any`: a bool tensor. An empty
 * reduction is false.
 * @example any(tensor([[0, 1], [0, 0]]), 1).toArray(); // [true, false]
 */
export function any(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return gt(sum(truth('any', x), axes, keepDims), 0);
}

/**
 * Whether every element over `axes` (all when omitted) is nonzero, as `torch.all`: a bool tensor. An empty
 * reduction is true.
 * @example all(tensor([[1, 1], [0, 1]]), 1).toArray(); // [true, false]
 */
export function all(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  checkTensor('all', x);
  return eq(sum(cast(eq(x, 0), 'int32'), axes, keepDims), 0);
}

/** A bool tensor of x's shape filled with `value` (integer and bool tensors hold no NaN or infinity). */
const constant = (x: Tensor, value: boolean): Tensor => full(x.shape, value ? 1 : 0, { dtype: 'bool' });

/**
 * Where x is NaN, as `torch.isnan` (bool).
 * @example isnan(tensor([1, NaN])).toArray(); // [false, true]
 */
export function isnan(x: Tensor): Tensor {
  checkTensor('isnan', x);
  return isFloat(x.dtype) ? ne(x, x) : constant(x, false);
}

/**
 * Where x is +∞ or −∞, as `torch.isinf` (bool).
 * @example isinf(tensor([1, -Infinity, NaN])).toArray(); // [false, true, false]
 */
export function isinf(x: Tensor): Tensor {
  checkTensor('isinf', x);
  return isFloat(x.dtype) ? eq(abs(x), Infinity) : constant(x, false);
}

/**
 * Where x is neither NaN nor infinite, as `torch.isfinite` (bool).
 * @example isfinite(tensor([1, Infinity, NaN])).toArray(); // [true, false, false]
 */
export function isfinite(x: Tensor): Tensor {
  checkTensor('isfinite', x);
  // x − x is 0 for every finite x and NaN for ±∞ and NaN.
  return isFloat(x.dtype) ? eq(sub(x, x), 0) : constant(x, true);
}

/**
 * Elementwise `a && b` of the truth of each element (nonzero is true), with broadcasting, as
 * `torch.logical_and` (bool).
 * @example logicalAnd(tensor([1, 0, 2]), tensor([true, true, false])).toArray(); // [true, false, false]
 */
export function logicalAnd(a: Tensor, b: Operand): Tensor {
  return eq(add(truth('logicalAnd', a), truth('logicalAnd', b)), 2);
}

/**
 * Elementwise `a || b` of the truth of each element, with broadcasting, as `torch.logical_or` (bool).
 * @example logicalOr(tensor([1, 0, 0]), tensor([0, 0, 3])).toArray(); // [true, false, true]
 */
export function logicalOr(a: Tensor, b: Operand): Tensor {
  return gt(add(truth('logicalOr', a), truth('logicalOr', b)), 0);
}

/**
 * Elementwise exclusive or of the truth of each element, with broadcasting, as `torch.logical_xor` (bool).
 * @example logicalXor(tensor([1, 0, 2]), tensor([1, 1, 0])).toArray(); // [false, true, true]
 */
export function logicalXor(a: Tensor, b: Operand): Tensor {
  return ne(truth('logicalXor', a), truth('logicalXor', b));
}
