import { runKernel } from '../backend.js';
import { arithmeticType } from '../dtype.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { gather } from './indexing-gather.js';
import { checkTensor } from './operand.js';
import { reshape } from './shape-ops.js';
import type { ValuesIndices } from './sort.js';

function scan(op: 'cumsum' | 'cumprod', x: Tensor, axis: number): Tensor {
  checkTensor(op, x);
  if (x.rank === 0) {
    normalizeAxis(op, axis, 1);
    return reshape(scan(op, reshape(x, [1]), 0), []);
  }
  const a = normalizeAxis(op, axis, x.rank);
  // Integers and bools accumulate as integers, as PyTorch's (int64 there, int32 here).
  const dtype = arithmeticType(x.dtype);
  const input = x.dtype === dtype ? x : cast(x, dtype);
  return recordOp(op, [input], { axis: a }, wrap(runKernel(op, [input], { axis: a, dtype })));
}

/**
 * Running sum along `axis`, as `torch.cumsum`.
 * @example cumsum(tensor([1, 2, 3]), 0).toArray(); // [1, 3, 6]
 */
export const cumsum = (x: Tensor, axis: number): Tensor => scan('cumsum', x, axis);

/**
 * Running product along `axis`, as `torch.cumprod`. Its gradient is exact where inputs are zero too.
 * @example cumprod(tensor([1, 2, 3]), 0).toArray(); // [1, 2, 6]
 */
export const cumprod = (x: Tensor, axis: number): Tensor => scan('cumprod', x, axis);

function runningExtremum(op: 'cummax' | 'cummin', x: Tensor, axis: number): ValuesIndices {
  checkTensor(op, x);
  if (x.rank === 0) {
    normalizeAxis(op, axis, 1);
    const r = runningExtremum(op, reshape(x, [1]), 0);
    return { values: reshape(r.values, []), indices: reshape(r.indices, []) };
  }
  const a = normalizeAxis(op, axis, x.rank);
  const indices = wrap(runKernel(`${op}Indices`, [x.detach()], { axis: a }));
  return { values: gather(x, a, indices), indices };
}

/**
 * Running maximum along `axis` and where each was found, as `torch.cummax`: among equal values the later
 * position wins, and NaN propagates. The gradient of each value goes to the position in `indices`.
 *
 * @example
 * const { values, indices } = cummax(tensor([1, 3, 2, 3]), 0);
 * values.toArray(); // [1, 3, 3, 3]
 * indices.toArray(); // [0, 1, 1, 3]
 */
export const cummax = (x: Tensor, axis: number): ValuesIndices => runningExtremum('cummax', x, axis);

/**
 * Running minimum along `axis` and where each was found, as `torch.cummin`.
 * @example cummin(tensor([3, 1, 2]), 0).values.toArray(); // [3, 1, 1]
 */
export const cummin = (x: Tensor, axis: number): ValuesIndices => runningExtremum('cummin', x, axis);
