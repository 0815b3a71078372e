import { registerKernel, type TensorData } from '../backend.js';
import { stridesOf } from '../shape.js';

/** Coordinates (int32, one row per element, row-major order) of every nonzero element, as torch.nonzero. */
function nonzero(x: TensorData): TensorData {
  const rank = x.shape.length;
  const strides = stridesOf(x.shape);
  const d = x.data;
  let count = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) count++;
  const out = new Int32Array(count * rank);
  for (let i = 0, row = 0; i < d.length; i++) {
    if (d[i] === 0) continue;
    let rest = i;
    for (let k = 0; k < rank; k++) {
      out[row * rank + k] = Math.floor(rest / strides[k]);
      rest %= strides[k];
    }
    row++;
  }
  return { data: out, shape: [count, rank], dtype: 'int32' };
}

/**
 * Groups the rows of an [n, m] input into distinct rows. Ids are given in lexicographic order of the rows
 * (`sorted`) or in order of first appearance. `result` picks what comes back: each row's id ('inverse',
 * [n]), the first row of each id ('first', [k]) or how many rows have each id ('counts', [k]).
 */
function unique(x: TensorData, sorted: boolean, result: 'inverse' | 'first' | 'counts'): TensorData {
  const [n, m] = x.shape;
  const d = x.data;
  const compare = (i: number, j: number): number => {
    for (let c = 0; c < m; c++) {
      const a = d[i * m + c];
      const b = d[j * m + c];
      if (a < b) return -1;
      if (a > b) return 1;
      // NaN sorts after every number, as in torch.unique.
      if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0);
    }
    return 0;
  };
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => compare(i, j) || i - j);
  const inverse = new Int32Array(n);
  const first: number[] = [];
  for (let r = 0; r < n; r++) {
    const row = order[r];
    // NaN compares unequal to everything, so each NaN row is its own group, as in torch.unique.
    const same = r > 0 && rowsEqual(d, order[r - 1], row, m);
    if (!same) first.push(row);
    inverse[row] = first.length - 1;
  }
  let ids = inverse;
  let firsts = first;
  if (!sorted) {
    // Renumber the groups by where each first appears.
    const byAppearance = first.map((_, id) => id).sort((a, b) => first[a] - first[b]);
    const renumber = new Int32Array(first.length);
    byAppearance.forEach((id, k) => (renumber[id] = k));
    ids = inverse.map((id) => renumber[id]);
    firsts = byAppearance.map((id) => first[id]);
  }
  if (result === 'inverse') return { data: ids, shape: [n], dtype: 'int32' };
  if (result === 'first') return { data: Int32Array.from(firsts), shape: [firsts.length], dtype: 'int32' };
  const counts = new Int32Array(firsts.length);
  for (let i = 0; i < n; i++) counts[ids[i]]++;
  return { data: counts, shape: [counts.length], dtype: 'int32' };
}

function rowsEqual(d: ArrayLike<number>, i: number, j: number, m: number): boolean {
  for (let c = 0; c < m; c++) if (!(d[i * m + c] === d[j * m + c])) return false;
  return true;
}

export function registerSelectKernels(): void {
  registerKernel('cpu', 'nonzero', ([x]) => nonzero(x));
  registerKernel('cpu', 'unique', ([x], attrs) => unique(x, attrs.sorted as boolean, attrs.result as 'inverse' | 'first' | 'counts'));
}
