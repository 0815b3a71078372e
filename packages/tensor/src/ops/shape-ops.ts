import { runKernel } from '../backend.js';
import { ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { inferShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkTensor } from './operand.js';

/**
 * The same data in a new shape (shared, not copied); one dimension may be -1.
 * @example reshape(arange(6), [2, -1]).shape; // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', x);
  const target = inferShape('reshape', shape, x.size);
  if (shapesEqual(target, x.shape)) return x;
  return recordOp('reshape', [x], { shape: target }, new Tensor(x.storage, target, x.dtype));
}

/** Flattens axes `startAxis..endAxis` (inclusive) into one. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  checkTensor('flatten', x);
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startAxis, x.rank);
  const e = normalizeAxis('flatten', endAxis, x.rank);
  if (s > e) throw new ShapeError('flatten', `startAxis ${startAxis} comes after endAxis ${endAxis}`);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/**
 * Reorders axes: output axis i is input axis `axes[i]`. Copies the data.
 * @example permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  checkTensor('permute', x);
  if (axes.length !== x.rank) {
    throw new ShapeError('permute', `got ${axes.length} axes [${axes.join(', ')}] for a tensor of rank ${x.rank}`);
  }
  const perm = axes.map((a) => normalizeAxis('permute', a, x.rank));
  if (new Set(perm).size !== perm.length) throw new ShapeError('permute', `axes [${axes.join(', ')}] repeat an axis`);
  if (perm.every((p, i) => p === i)) return x;
  return recordOp('permute', [x], { perm }, wrap(runKernel('permute', [x], { perm })));
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  checkTensor('transpose', x);
  if (x.rank < 2 && axis0 === -2 && axis1 === -1) return x;
  const a = normalizeAxis('transpose', axis0, x.rank);
  const b = normalizeAxis('transpose', axis1, x.rank);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Removes size-1 axes (all of them, or the given ones, which must have size 1). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  checkTensor('squeeze', x);
  const list = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axes, x.rank);
  for (const a of list) {
    if (x.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${a} of shape ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !list.includes(i)));
}

/** Inserts a size-1 axis at `axis` (which may be -1 for the end). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Broadcasts to `shape` (−1 keeps a size), materializing the result.
 * @example expand(tensor([[1], [2]]), [2, 3]).toArray(); // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('expand', x);
  if (shape.length < x.rank) {
    throw new ShapeError('expand', `cannot expand shape ${fmtShape(x.shape)} to fewer dimensions ${fmtShape(shape)}`);
  }
  const offset = shape.length - x.rank;
  const target = shape.map((d, i) => {
    const src = i >= offset ? x.shape[i - offset] : 1;
    const want = d === -1 ? src : d;
    if (src !== want && src !== 1) {
      throw new ShapeError('expand', `cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)}: size ${src} at dimension ${i} is not 1`);
    }
    return want;
  });
  if (shapesEqual(target, x.shape)) return x;
  return recordOp('expand', [x], { shape: target }, wrap(runKernel('expand', [x], { shape: target })));
}

/** A copy with its own data; gradients flow through it. */
export function clone(x: Tensor): Tensor {
  checkTensor('clone', x);
  // On a device the copy is a kernel (a same-dtype cast); on the host, a slice of the array.
  const copy = x.storage.isHost ? new Tensor(x.data.slice(), x.shape, x.dtype) : wrap(runKernel('cast', [x], { dtype: x.dtype }));
  return recordOp('clone', [x], {}, copy);
}
