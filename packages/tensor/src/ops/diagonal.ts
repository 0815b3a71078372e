import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { pad } from './indexing-pad.js';
import { slice } from './indexing-slice.js';
import { where } from './indexing-where.js';
import { checkTensor } from './operand.js';
import { permute, reshape } from './shape-ops.js';

// Diagonals are strided runs of a flattened matrix: element (i, i + k) of an n1 × n2 matrix sits at
// i·(n2 + 1) + k. So taking one is a slice with step n2 + 1, and building one pads each value with n2
// zeros; both are made of slice, pad and reshape, whose gradients are each other, to any order.

function checkOffset(op: string, offset: number): void {
  if (!Number.isInteger(offset)) throw new ValueError(op, `the diagonal offset must be an integer, got ${offset}`);
}

/** Length of diagonal `offset` of an n1 × n2 matrix, and the flat position where it starts. */
function diagonalRun(n1: number, n2: number, offset: number): [number, number] {
  const length = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  return [length, offset >= 0 ? offset : -offset * n2];
}

/**
 * The diagonal `offset` (0 main, > 0 above, < 0 below) of the matrices spanned by axes `dim1` and `dim2`,
 * as `torch.diagonal`: those two axes are removed and the diagonal becomes the last axis.
 *
 * @example
 * diagonal(tensor([[1, 2], [3, 4]])).toArray();    // [1, 4]
 * diagonal(tensor([[1, 2], [3, 4]]), 1).toArray(); // [2]
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensor('diagonal', x);
  checkOffset('diagonal', offset);
  if (x.rank < 2) throw new ShapeError('diagonal', `needs at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  const d1 = normalizeAxis('diagonal', dim1, x.rank);
  const d2 = normalizeAxis('diagonal', dim2, x.rank);
  if (d1 === d2) throw new ValueError('diagonal', `dim1 and dim2 must differ, both are ${d1}`);
  const rest = x.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const n1 = x.shape[d1];
  const n2 = x.shape[d2];
  const moved = permute(x, [...rest, d1, d2]);
  const flat = reshape(moved, [...rest.map((i) => x.shape[i]), n1 * n2]);
  const [length, start] = diagonalRun(n1, n2, offset);
  if (length === 0) return slice(flat, -1, 0, 0);
  return slice(flat, -1, start, start + (length - 1) * (n2 + 1) + 1, n2 + 1);
}

/**
 * As `torch.diag`: a 1-d `x` becomes a square matrix with `x` on diagonal `offset`; a 2-d `x` gives its
 * diagonal `offset` as a 1-d tensor.
 *
 * @example
 * diag(tensor([1, 2])).toArray();      // [[1, 0], [0, 2]]
 * diag(tensor([1, 2]), 1).toArray();   // [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
 * diag(tensor([[1, 2], [3, 4]])).toArray(); // [1, 4]
 */
export function diag(x: Tensor, offset = 0): Tensor {
  checkTensor('diag', x);
  checkOffset('diag', offset);
  if (x.rank === 2) return diagonal(x, offset, 0, 1);
  if (x.rank !== 1) throw new ShapeError('diag', `needs a 1-d or 2-d tensor, got shape ${fmtShape(x.shape)}`);
  const n = x.shape[0];
  const m = n + Math.abs(offset);
  // Each value followed by m zeros, laid out from flat position `start`, fills an m × m matrix's diagonal;
  // the end is padded (or its surplus zeros cropped) to m² elements.
  const spaced = reshape(pad(reshape(x, [n, 1]), [0, m]), [n * (m + 1)]);
  const start = offset >= 0 ? offset : -offset * m;
  return reshape(pad(spaced, [start, m * m - start - n * (m + 1)]), [m, m]);
}

/** Keeps the elements of the last two axes with column − row compared to `diagonal` by `keep`, else 0. */
function triangle(op: string, x: Tensor, offset: number, keep: (colMinusRow: number) => boolean): Tensor {
  checkTensor(op, x);
  checkOffset(op, offset);
  if (x.rank < 2) throw new ShapeError(op, `needs at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  const rows = x.shape[x.rank - 2];
  const cols = x.shape[x.rank - 1];
  const mask = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mask[i * cols + j] = keep(j - i - offset) ? 1 : 0;
  return where(new Tensor(mask, [rows, cols], 'bool'), x, 0);
}

/**
 * The lower triangle of the last two axes (elements with column − row ≤ `diagonal`), zeros above, as
 * `torch.tril`.
 * @example tril(tensor([[1, 2], [3, 4]])).toArray(); // [[1, 0], [3, 4]]
 */
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal, (d) => d <= 0);

/**
 * The upper triangle of the last two axes (elements with column − row ≥ `diagonal`), zeros below, as
 * `torch.triu`.
 * @example triu(tensor([[1, 2], [3, 4]])).toArray(); // [[1, 2], [0, 4]]
 */
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal, (d) => d >= 0);
