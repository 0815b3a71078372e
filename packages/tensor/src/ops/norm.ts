import { runKernel } from '../backend.js';
import { floatType } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { scalar, wrap } from '../make.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { abs, pow, sign, square } from './elementwise.js';
import { checkTensor } from './operand.js';
import { amax, amin, sum } from './reduce.js';
import { svdvals } from './linalg.js';
import { permute, reshape, squeeze } from './shape-ops.js';

/**
 * s^(1/p), recorded as its own op: its gradient is taken as 0 where s = 0, as PyTorch's norm gradient at a
 * zero vector (the plain power rule would give 0·∞ = NaN there).
 */
function normRoot(s: Tensor, p: number): Tensor {
  if (p === 1) return s;
  const e = scalar(1 / p, s.dtype);
  return recordOp('normRoot', [s], { p }, wrap(runKernel('pow', [s, e], { shape: s.shape, dtype: s.dtype })));
}

/**
 * The vector `ord`-norm over `axes` (all when omitted), as `torch.linalg.vector_norm`: (Σ|x|^ord)^(1/ord);
 * `Infinity` is max |x|, `-Infinity` min |x|, 0 counts the nonzero elements. Integer inputs are read as
 * float32. Gradients follow PyTorch: 0 at a zero vector, shared among ties for ±∞.
 *
 * @example
 * vectorNorm(tensor([3, 4])).item();           // 5
 * vectorNorm(tensor([3, -4]), Infinity).item(); // 4
 */
export function vectorNorm(x: Tensor, ord = 2, axes?: number | readonly number[], keepDims = false): Tensor {
  checkTensor('vectorNorm', x);
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new ValueError('vectorNorm', `ord must be a number, got ${String(ord)}`);
  const xf = cast(x, floatType(x.dtype));
  if (ord === Infinity) return amax(abs(xf), axes, keepDims);
  if (ord === -Infinity) return amin(abs(xf), axes, keepDims);
  // |sign(x)| is 1 at each nonzero and 0 at zeros, with sign's zero gradient: the count's gradient is 0.
  if (ord === 0) return sum(abs(sign(xf)), axes, keepDims);
  if (ord === 1) return sum(abs(xf), axes, keepDims);
  if (ord === 2) return normRoot(sum(square(xf), axes, keepDims), 2);
  return normRoot(sum(pow(abs(xf), ord), axes, keepDims), ord);
}

/** The orders `matrixNorm` takes: 'fro', 'nuc', 1, −1, 2, −2, `Infinity` or `-Infinity`. */
export type MatrixNormOrd = 'fro' | 'nuc' | number;

/**
 * The matrix norm of the matrices spanned by `axes` (default the last two), as `torch.linalg.matrix_norm`:
 * 'fro' (Frobenius, the default), 'nuc' (sum of the singular values), 2 / −2 (largest / smallest singular
 * value), 1 / −1 (largest / smallest column sum of |x|) and `Infinity` / `-Infinity` (largest / smallest
 * row sum). The singular-value norms differentiate through `linalg.svdvals` (distinct singular values).
 *
 * @example
 * matrixNorm(tensor([[1, -2], [3, 4]]), 1).item(); // 6 (column |−2| + |4|)
 */
export function matrixNorm(x: Tensor, ord: MatrixNormOrd = 'fro', axes: readonly [number, number] = [-2, -1], keepDims = false): Tensor {
  checkTensor('matrixNorm', x);
  if (axes.length !== 2) throw new ValueError('matrixNorm', `axes must name two axes, got [${axes.join(', ')}]`);
  const [rows, cols] = axes.map((a) => normalizeAxis('matrixNorm', a, x.rank));
  if (rows === cols) throw new ValueError('matrixNorm', `axes must be two different axes, got [${axes.join(', ')}]`);
  if (ord === 'fro') return vectorNorm(x, 2, [rows, cols], keepDims);
  const xf = cast(x, floatType(x.dtype));
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // Singular values of the matrices moved to the last two axes: [...other axes, k].
    const others = x.shape.map((_, i) => i).filter((i) => i !== rows && i !== cols);
    const s = svdvals(permute(xf, [...others, rows, cols]));
    const reduced = ord === 'nuc' ? sum(s, -1) : ord === 2 ? amax(s, -1) : amin(s, -1);
    return keepDims ? reshape(reduced, x.shape.map((d, i) => (i === rows || i === cols ? 1 : d))) : reduced;
  }
  let out: Tensor;
  if (ord === 1 || ord === -1) {
    const columnSums = sum(abs(xf), rows, true);
    out = ord === 1 ? amax(columnSums, cols, true) : amin(columnSums, cols, true);
  } else if (ord === Infinity || ord === -Infinity) {
    const rowSums = sum(abs(xf), cols, true);
    out = ord === Infinity ? amax(rowSums, rows, true) : amin(rowSums, rows, true);
  } else {
    throw new ValueError('matrixNorm', `ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got ${String(ord)}`);
  }
  return keepDims ? out : squeeze(out, [rows, cols]);
}

/**
 * `torch.norm`: with `p` a number, the vector p-norm over `axes` (all when omitted), even over two axes;
 * with 'fro' (the default), the 2-norm over `axes`, which for two axes is the Frobenius norm; with 'nuc',
 * the nuclear norm of a matrix (or of the matrices spanned by two `axes`).
 *
 * @example
 * norm(tensor([[1, 2], [2, 4]])).item();   // 5
 * norm(tensor([[1, -2], [3, 4]]), 1, 1).toArray(); // [3, 7]
 */
export function norm(x: Tensor, p: number | 'fro' | 'nuc' = 'fro', axes?: number | readonly number[], keepDims = false): Tensor {
  checkTensor('norm', x);
  if (p === 'nuc') {
    const pair = axes === undefined ? [0, 1] : normalizeAxes('norm', axes, x.rank);
    if (pair.length !== 2 || (axes === undefined && x.rank !== 2)) {
      throw new ValueError('norm', `'nuc' needs a matrix or two axes, got shape ${fmtShape(x.shape)} and axes ${String(axes)}`);
    }
    return matrixNorm(x, 'nuc', [pair[0], pair[1]], keepDims);
  }
  if (p === 'fro') {
    if (axes !== undefined) {
      const n = normalizeAxes('norm', axes, x.rank).length;
      if (n > 2) throw new ValueError('norm', `'fro' takes one or two axes, got ${n}`);
    }
    return vectorNorm(x, 2, axes, keepDims);
  }
  if (typeof p !== 'number') throw new ValueError('norm', `p must be a number or 'fro', got '${String(p)}'`);
  return vectorNorm(x, p, axes, keepDims);
}

/**
 * `torch.linalg.norm`: without `ord`, the 2-norm of the flattened axes (Frobenius for a matrix); with `axes`
 * one axis, the vector norm `ord`; with two axes (or none, for a 2-d input and a given `ord`), the matrix
 * norm `ord`; for a 1-d input and a given `ord`, the vector norm.
 *
 * @example
 * linalg.norm(tensor([[1, 2], [2, 4]])).item(); // 5
 * linalg.norm(tensor([[1, 0], [0, 3]]), 2).item(); // 3 (the largest singular value)
 */
export function linalgNorm(x: Tensor, ord?: MatrixNormOrd, axes?: number | readonly number[], keepDims = false): Tensor {
  checkTensor('linalg.norm', x);
  // The order of two axes matters (rows, then columns), so they are not sorted.
  const list = axes === undefined ? undefined : typeof axes === 'number' ? [axes] : [...axes];
  if (ord === undefined) return vectorNorm(x, 2, list, keepDims);
  const matrixAxes = list ?? (x.rank === 2 ? [0, 1] : x.rank === 1 ? null : undefined);
  if (matrixAxes === undefined) {
    throw new ValueError('linalg.norm', `with an ord and no axes the input must be 1-d or 2-d, got shape ${fmtShape(x.shape)}`);
  }
  if (matrixAxes === null || matrixAxes.length === 1) {
    if (typeof ord !== 'number') throw new ValueError('linalg.norm', `a vector norm needs a numeric ord, got '${ord}'`);
    return vectorNorm(x, ord, matrixAxes ?? undefined, keepDims);
  }
  if (matrixAxes.length !== 2) throw new ValueError('linalg.norm', `takes one or two axes, got ${matrixAxes.length}`);
  return matrixNorm(x, ord, [matrixAxes[0], matrixAxes[1]], keepDims);
}
