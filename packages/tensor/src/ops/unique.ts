import { kernelBackend, runCpuKernel, runKernel } from '../backend.js';
import { ShapeError } from '../errors.js';
import { wrap } from '../make.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { indexSelect } from './indexing-gather.js';
import { slice } from './indexing-slice.js';
import { checkTensor } from './operand.js';
import { permute, reshape } from './shape-ops.js';

/**
 * The coordinates of the nonzero elements, as `torch.nonzero`: an int32 tensor of shape [count, rank],
 * one row per element in row-major order; with `asTuple`, one 1-d int32 tensor per axis instead (a 0-d
 * input counts as 1-d, as in PyTorch).
 *
 * @example
 * nonzero(tensor([[0, 1], [2, 0]])).toArray(); // [[0, 1], [1, 0]]
 * nonzero(tensor([[0, 1], [2, 0]]), { asTuple: true }).map((t) => t.toArray()); // [[0, 1], [1, 0]]
 */
export function nonzero(x: Tensor, options?: { asTuple?: false }): Tensor;
/** With `asTuple`, one 1-d int32 tensor of coordinates per axis. @example const [rows, cols] = nonzero(m, { asTuple: true }); */
export function nonzero(x: Tensor, options: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  checkTensor('nonzero', x);
  if (options.asTuple) {
    const coords = nonzero(x.rank === 0 ? reshape(x.detach(), [1]) : x);
    const rank = coords.shape[1];
    return Array.from({ length: rank }, (_, k) => reshape(slice(coords, 1, k, k + 1), [coords.shape[0]]));
  }
  return wrap(runKernel('nonzero', [x.detach()], {}));
}

/** Options of `unique`, as `torch.unique`'s keyword arguments. @example unique(x, { returnCounts: true }) */
export interface UniqueOptions {
  /** Distinct values in ascending order (default true); false keeps the order of first appearance. */
  sorted?: boolean;
  /** Also return, for each element (or slice), the position of its value in `values`. */
  returnInverse?: boolean;
  /** Also return how many times each distinct value occurs. */
  returnCounts?: boolean;
  /** Find distinct slices along this axis instead of distinct elements of the flattened tensor. */
  axis?: number;
}

/** What `unique` returns: the distinct values, and the inverse and counts when asked for. */
export interface UniqueResult {
  /** The distinct values (1-d), or the distinct slices along `axis`. */
  values: Tensor;
  /** With `returnInverse`: int32 of x's shape (of [size of axis] with `axis`), indexing into `values`. */
  inverse?: Tensor;
  /** With `returnCounts`: int32 [number of distinct values]. */
  counts?: Tensor;
}

/**
 * The distinct elements of `x` (or its distinct slices along `options.axis`, ordered lexicographically), as
 * `torch.unique`, with the inverse indices and counts on request. Not differentiable, as in PyTorch. With
 * `sorted: false` the values keep the order of their first appearance (PyTorch leaves it unspecified).
 *
 * @example
 * unique(tensor([3, 1, 3, 2])).values.toArray(); // [1, 2, 3]
 * unique(tensor([3, 1, 3]), { returnCounts: true }).counts?.toArray(); // [1, 2]
 */
export function unique(x: Tensor, options: UniqueOptions = {}): UniqueResult {
  checkTensor('unique', x);
  const sorted = options.sorted ?? true;
  let rows: Tensor;
  let axis: number | undefined;
  if (options.axis === undefined) {
    rows = reshape(x.detach(), [x.size, 1]);
  } else {
    if (x.rank === 0) throw new ShapeError('unique', 'cannot find unique slices of a 0-d tensor; omit axis');
    axis = normalizeAxis('unique', options.axis, x.rank);
    const a = axis;
    const perm = [a, ...x.shape.map((_, i) => i).filter((i) => i !== a)];
    // Where only cpu has the unique kernel, a host input's rows are laid out on the host too: on a device
    // backend a permute would move them to the device, where the cpu kernel cannot read them.
    const onHost = kernelBackend('unique') === 'cpu' && x.storage.isHost;
    const moved = onHost ? wrap(runCpuKernel('permute', [x.detach()], { perm })) : permute(x.detach(), perm);
    rows = reshape(moved, [x.shape[a], sizeOf(x.shape) / Math.max(x.shape[a], 1) || 0]);
  }
  const run = (result: string): Tensor => wrap(runKernel('unique', [rows], { sorted, result }));
  const first = run('first');
  const values = axis === undefined ? indexSelect(reshape(x.detach(), [x.size]), 0, first) : indexSelect(x.detach(), axis, first);
  const out: UniqueResult = { values };
  if (options.returnInverse) {
    const inverse = run('inverse');
    out.inverse = axis === undefined ? reshape(inverse, x.shape) : inverse;
  }
  if (options.returnCounts) out.counts = run('counts');
  return out;
}
