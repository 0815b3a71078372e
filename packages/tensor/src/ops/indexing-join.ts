import { runKernel } from '../backend.js';
import { promoteTypes } from '../dtype.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { normalizeAxis, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor } from './operand.js';
import { unsqueeze } from './shape-ops.js';
import { slice } from './indexing-slice.js';

function checkList(op: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError(op, 'expected a non-empty array of tensors');
  tensors.forEach((t) => checkTensor(op, t));
}

/**
 * Joins tensors along an existing `axis` (default 0), as `torch.cat`. Every size but `axis`'s must match;
 * dtypes promote. The gradient of each input is its slice of the output's gradient.
 *
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])], 0).toArray(); // [[1, 2], [3, 4], [5, 6]]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList('concat', tensors);
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (t.rank === 0) throw new ShapeError('concat', `tensor ${i} is 0-d and cannot be concatenated (stack joins scalars)`);
  });
  const a = normalizeAxis('concat', axis, first.rank);
  tensors.forEach((t, i) => {
    const same = t.rank === first.rank && t.shape.every((d, k) => k === a || d === first.shape[k]);
    if (!same) {
      throw new ShapeError(
        'concat',
        `tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has shape ${fmtShape(first.shape)}; every size but axis ${a}'s must match`,
      );
    }
  });
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const inputs = tensors.map((t) => cast(t, dtype));
  if (inputs.length === 1) return inputs[0];
  return recordOp('concat', inputs, { axis: a }, wrap(runKernel('concat', inputs, { axis: a })));
}

/**
 * Joins same-shaped tensors along a new `axis` (default 0), as `torch.stack`.
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList('stack', tensors);
  const first = tensors[0];
  const a = normalizeAxis('stack', axis, first.rank + 1);
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError('stack', `tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has shape ${fmtShape(first.shape)}; all must be equal`);
    }
  });
  return concat(tensors.map((t) => unsqueeze(t, a)), a);
}

/**
 * Splits `x` along `axis` (default 0), as `torch.split`: a number is the size of every piece (the last may
 * be smaller), an array lists the pieces' sizes, which must add up to the axis size. Pieces are slices, so
 * a piece along axis 0 shares `x`'s data.
 *
 * @example
 * split(arange(5), 2).map((t) => t.toArray());      // [[0, 1], [2, 3], [4]]
 * split(arange(5), [1, 4]).map((t) => t.toArray()); // [[0], [1, 2, 3, 4]]
 */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], axis = 0): Tensor[] {
  checkTensor('split', x);
  if (x.rank === 0) throw new ShapeError('split', 'cannot split a 0-d tensor');
  const a = normalizeAxis('split', axis, x.rank);
  const n = x.shape[a];
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    const size = sizeOrSizes;
    if (!Number.isInteger(size) || size < 0 || (size === 0 && n !== 0)) {
      throw new ValueError('split', `split size must be a positive integer, got ${size}`);
    }
    const count = size === 0 ? 1 : Math.max(1, Math.ceil(n / size));
    sizes = Array.from({ length: count }, (_, i) => Math.min(size, n - i * size));
  } else {
    sizes = [...sizeOrSizes];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ValueError('split', `sizes [${sizes.join(', ')}] must be non-negative integers`);
    }
    const total = sizes.reduce((s, v) => s + v, 0);
    if (total !== n) {
      throw new ValueError('split', `sizes [${sizes.join(', ')}] add up to ${total} but axis ${axis} has size ${n}`);
    }
  }
  let start = 0;
  return sizes.map((s) => slice(x, a, start, (start += s)));
}

/**
 * Splits `x` into at most `chunks` pieces of equal size along `axis` (default 0), as `torch.chunk`: each
 * piece has ⌈n / chunks⌉ elements but the last, so fewer pieces may come back.
 *
 * @example
 * chunk(arange(5), 3).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
 */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  checkTensor('chunk', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ValueError('chunk', `chunks must be a positive integer, got ${chunks}`);
  if (x.rank === 0) throw new ShapeError('chunk', 'cannot chunk a 0-d tensor');
  const n = x.shape[normalizeAxis('chunk', axis, x.rank)];
  if (n === 0) return Array.from({ length: chunks }, () => x);
  return split(x, Math.ceil(n / chunks), axis);
}
