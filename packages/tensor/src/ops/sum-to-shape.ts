import { ShapeError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sum } from './reduce.js';
import { reshape } from './shape-ops.js';

/**
 * Sums `g` down to `shape`, undoing a broadcast: the axes broadcasting added or stretched from 1 are
 * summed. This is how the gradient of a broadcast operand is formed.
 *
 * @example sumToShape(ones([4, 3]), [3]).toArray(); // [4, 4, 4]
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0) throw new ShapeError('sumToShape', `cannot sum ${fmtShape(g.shape)} down to the larger rank of ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) axes.push(i);
    else if (shape[i - lead] !== g.shape[i]) {
      throw new ShapeError('sumToShape', `shape ${fmtShape(g.shape)} was not broadcast from ${fmtShape(shape)}`);
    }
  }
  return reshape(sum(g, axes), shape);
}
