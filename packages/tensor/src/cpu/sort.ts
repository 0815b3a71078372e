import { registerKernel, type TensorData } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { sizeOf } from '../shape.js';

/**
 * Orders positions of one line: NaN counts as larger than every number (as in torch.sort), and equal values
 * keep their original order in both directions, so every sort here is stable.
 */
function lineOrder(d: TypedArray, base: number, n: number, inner: number, descending: boolean): number[] {
  const order = new Array<number>(n);
  for (let r = 0; r < n; r++) order[r] = r;
  const sign = descending ? -1 : 1;
  order.sort((i, j) => {
    const a = d[base + i * inner];
    const b = d[base + j * inner];
    const an = a !== a;
    const bn = b !== b;
    if (an || bn) return an && bn ? i - j : (an ? 1 : -1) * sign;
    return a < b ? -sign : a > b ? sign : i - j;
  });
  return order;
}

/** Sorts every line along `axis` and keeps the first `k` positions of each (all of them when k is the size). */
function sortedIndices(x: TensorData, axis: number, descending: boolean, k: number): TensorData {
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = [...x.shape];
  shape[axis] = k;
  const out = new Int32Array(outer * k * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const order = lineOrder(x.data, o * n * inner + i, n, inner, descending);
      for (let r = 0; r < k; r++) out[(o * k + r) * inner + i] = order[r];
    }
  }
  return { data: out, shape, dtype: 'int32' };
}

export function registerSortKernels(): void {
  registerKernel('cpu', 'argsort', ([x], attrs) => sortedIndices(x, attrs.axis as number, attrs.descending as boolean, x.shape[attrs.axis as number]));
  // topk: the k largest (or smallest) of each line, in sorted order, lower positions first among ties.
  registerKernel('cpu', 'topk', ([x], attrs) => sortedIndices(x, attrs.axis as number, attrs.largest as boolean, attrs.k as number));
}
