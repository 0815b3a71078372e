import { ValueError, ShapeError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mul } from './elementwise.js';
import { concat } from './indexing-join.js';
import { slice } from './indexing-slice.js';
import { checkTensor } from './operand.js';
import { expand, reshape } from './shape-ops.js';

/**
 * Rotates elements along `axes` by `shifts`, as `torch.roll`: elements pushed off the end come back at the
 * start. Without `axes` the flattened tensor is rolled and the shape restored. Made of slices and a concat,
 * so the gradient rolls back.
 *
 * @example
 * roll(tensor([1, 2, 3, 4]), 1).toArray(); // [4, 1, 2, 3]
 * roll(tensor([[1, 2], [3, 4]]), [1, -1], [0, 1]).toArray(); // [[4, 3], [2, 1]]
 */
export function roll(x: Tensor, shifts: number | readonly number[], axes?: number | readonly number[]): Tensor {
  checkTensor('roll', x);
  const s = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (s.some((v) => !Number.isInteger(v))) throw new ValueError('roll', `shifts must be integers, got [${s.join(', ')}]`);
  if (axes === undefined) {
    if (s.length !== 1) throw new ValueError('roll', `without axes, shifts must be one number, got [${s.join(', ')}]`);
    return reshape(roll(reshape(x, [x.size]), s[0], 0), x.shape);
  }
  const a = typeof axes === 'number' ? [axes] : [...axes];
  if (a.length !== s.length) {
    throw new ValueError('roll', `shifts [${s.join(', ')}] and axes [${a.join(', ')}] must have the same length`);
  }
  let out = x;
  a.forEach((axis, k) => {
    const ax = normalizeAxis('roll', axis, x.rank);
    const n = x.shape[ax];
    const shift = n === 0 ? 0 : ((s[k] % n) + n) % n;
    if (shift !== 0) out = concat([slice(out, ax, n - shift), slice(out, ax, 0, n - shift)], ax);
  });
  return out;
}

/**
 * Coordinate grids from 1-d tensors, as `torch.meshgrid`: with 'ij' indexing (the default) output i varies
 * along axis i and has shape [n0, n1, …]; with 'xy' the first two axes are swapped ([n1, n0, …]), as in
 * NumPy.
 *
 * @example
 * const [gx, gy] = meshgrid([tensor([1, 2]), tensor([3, 4, 5])]);
 * gx.shape; // [2, 3]
 * gy.toArray(); // [[3, 4, 5], [3, 4, 5]]
 */
export function meshgrid(tensors: readonly Tensor[], indexing: 'ij' | 'xy' = 'ij'): Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError('meshgrid', 'expected a non-empty array of tensors');
  if (indexing !== 'ij' && indexing !== 'xy') throw new ValueError('meshgrid', `indexing must be 'ij' or 'xy', got '${String(indexing)}'`);
  tensors.forEach((t, i) => {
    checkTensor('meshgrid', t);
    if (t.rank > 1) throw new ShapeError('meshgrid', `tensor ${i} must be 0-d or 1-d, got shape ${fmtShape(t.shape)}`);
  });
  const sizes = tensors.map((t) => t.size);
  const axisOf = (i: number): number => (indexing === 'xy' && tensors.length > 1 && i < 2 ? 1 - i : i);
  const shape = sizes.map((_, k) => sizes[tensors.findIndex((_t, i) => axisOf(i) === k)]);
  return tensors.map((t, i) => {
    const line = shape.map((_, k) => (k === axisOf(i) ? sizes[i] : 1));
    return expand(reshape(t, line), shape);
  });
}

/**
 * The outer product of two 1-d tensors, as `torch.outer`: out[i][j] = a[i]·b[j].
 * @example outer(tensor([1, 2]), tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensor('outer', a);
  checkTensor('outer', b);
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ShapeError('outer', `needs two 1-d tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}
