import { runKernel } from '../backend.js';
import { DTYPES, type DType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { checkedValues } from '../compile/hooks.js';
import { wrap } from '../make.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';
import { reshape } from './shape-ops.js';

/** Index tensors are int32 (PyTorch's are int64; int32 is this package's index type). */
function checkIndexDtype(op: string, index: Tensor): void {
  checkTensor(op, index);
  if (index.dtype !== 'int32') throw new DTypeError(op, `index must be an int32 tensor, got ${index.dtype}`);
}

/** Every index value must lie in [0, n): negative indices are errors, as in torch.gather and friends. */
function checkIndexRange(op: string, index: Tensor, n: number, what: string): void {
  // Indices a device computed stay there: reading them back would stall the device, so their range is the
  // kernel's to respect (host indices, which is what users pass, are checked here).
  if (!index.storage.isHost) return;
  const data = checkedValues(index);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v >= n) {
      const range = n === 0 ? 'none' : `0..${n - 1}`;
      throw new ValueError(op, `index ${v} is out of range for ${what} (valid: ${range})`);
    }
  }
}

/** gather and scatterAdd: the index has x's rank and is no larger than `limit` except along `axis`. */
function checkIndexShape(op: string, index: Tensor, x: Tensor, axis: number, name: string, allAxes: boolean): void {
  if (index.rank !== x.rank) {
    throw new ShapeError(op, `index has rank ${index.rank} (shape ${fmtShape(index.shape)}) but ${name} has rank ${x.rank}; they must match`);
  }
  index.shape.forEach((d, k) => {
    if ((allAxes || k !== axis) && d > x.shape[k]) {
      throw new ShapeError(
        op,
        `index of shape ${fmtShape(index.shape)} is larger than ${name} of shape ${fmtShape(x.shape)} at dimension ${k} (${d} > ${x.shape[k]})`,
      );
    }
  });
}

/**
 * Picks values along `axis` by `index`, as `torch.gather`: out[i][j][k] = x[index[i][j][k]][j][k] for
 * axis 0, and likewise for the others. `index` is int32 with x's rank and no larger than x except along
 * `axis`; the result has the index's shape.
 *
 * @example
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]], 'int32')).toArray(); // [[1, 1], [4, 3]]
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  checkTensor('gather', x);
  checkIndexDtype('gather', index);
  if (x.rank === 0) {
    normalizeAxis('gather', axis, 1);
    return reshape(gather(reshape(x, [1]), 0, reshape(index, index.rank === 0 ? [1] : index.shape)), index.shape);
  }
  const a = normalizeAxis('gather', axis, x.rank);
  checkIndexShape('gather', index, x, a, 'the input', false);
  checkIndexRange('gather', index, x.shape[a], `axis ${axis} of size ${x.shape[a]}`);
  return recordOp('gather', [x, index], { axis: a }, wrap(runKernel('gather', [x, index], { axis: a })));
}

/**
 * The entries of `x` along `axis` at the positions in the 1-d (or 0-d) int32 `index`, as
 * `torch.index_select`; the axis takes the index's length.
 *
 * @example
 * indexSelect(tensor([[1, 2, 3], [4, 5, 6]]), 1, tensor([2, 0], 'int32')).toArray(); // [[3, 1], [6, 4]]
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  checkTensor('indexSelect', x);
  checkIndexDtype('indexSelect', index);
  if (index.rank > 1) throw new ShapeError('indexSelect', `index must be 1-d or 0-d, got shape ${fmtShape(index.shape)}`);
  if (x.rank === 0) {
    normalizeAxis('indexSelect', axis, 1);
    return reshape(indexSelect(reshape(x, [1]), 0, index), []);
  }
  const a = normalizeAxis('indexSelect', axis, x.rank);
  checkIndexRange('indexSelect', index, x.shape[a], `axis ${axis} of size ${x.shape[a]}`);
  return recordOp('indexSelect', [x, index], { axis: a }, wrap(runKernel('indexSelect', [x, index], { axis: a })));
}

/**
 * A copy of `x` with each `src[i][j][k]` added at `x[index[i][j][k]][j][k]` (for axis 0; likewise for the
 * others), as `torch.scatter_add`. Repeated indices accumulate. `index` is int32 with x's rank, no larger
 * than `src` anywhere nor than `x` off `axis`; `src` has x's dtype.
 *
 * @example
 * scatterAdd(zeros([3]), 0, tensor([0, 2, 0], 'int32'), tensor([1, 2, 3])).toArray(); // [4, 0, 2]
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterAdd', x);
  checkTensor('scatterAdd', src);
  checkIndexDtype('scatterAdd', index);
  if (x.dtype === 'bool') throw new DTypeError('scatterAdd', 'cannot add into a bool tensor');
  if (src.dtype !== x.dtype) throw new DTypeError('scatterAdd', `src has dtype ${src.dtype} but the input has ${x.dtype}; they must match`);
  if (x.rank === 0) {
    normalizeAxis('scatterAdd', axis, 1);
    const one = (t: Tensor) => reshape(t, t.rank === 0 ? [1] : t.shape);
    return reshape(scatterAdd(one(x), 0, one(index), one(src)), []);
  }
  const a = normalizeAxis('scatterAdd', axis, x.rank);
  checkIndexShape('scatterAdd', index, x, a, 'the input', false);
  checkIndexShape('scatterAdd', index, src, a, 'src', true);
  checkIndexRange('scatterAdd', index, x.shape[a], `axis ${axis} of size ${x.shape[a]}`);
  return recordOp('scatterAdd', [x, index, src], { axis: a }, wrap(runKernel('scatterAdd', [x, index, src], { axis: a })));
}

/**
 * One-hot encoding: a new last axis of `numClasses` entries holding 1 at each index, as `F.one_hot`.
 * `numClasses = -1` takes the largest index plus one. PyTorch returns int64; this returns `dtype`
 * (float32 by default) because one-hot targets usually feed a loss. Not differentiable.
 *
 * @example
 * oneHot(tensor([0, 2], 'int32'), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, numClasses = -1, dtype: DType = 'float32'): Tensor {
  checkIndexDtype('oneHot', indices);
  if (!DTYPES.includes(dtype)) throw new ValueError('oneHot', `unknown dtype '${dtype}', expected one of ${DTYPES.join(', ')}`);
  let classes = numClasses;
  if (classes === -1) {
    if (indices.size === 0) throw new ValueError('oneHot', 'cannot infer numClasses from an empty tensor; pass numClasses');
    if (!indices.storage.isHost) throw new ValueError('oneHot', `the indices live on '${indices.device}': pass numClasses rather than infer it from their values`);
    classes = 0;
    const values = indices.dataSync();
    for (let i = 0; i < values.length; i++) classes = Math.max(classes, values[i] + 1);
  } else if (!Number.isInteger(classes) || classes < 0) {
    throw new ValueError('oneHot', `numClasses must be a non-negative integer or -1, got ${numClasses}`);
  }
  checkIndexRange('oneHot', indices, classes, `${classes} classes`);
  const attrs = { numClasses: classes, dtype };
  return recordOp('oneHot', [indices], attrs, wrap(runKernel('oneHot', [indices], attrs)));
}
