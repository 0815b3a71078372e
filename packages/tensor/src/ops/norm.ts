import { runKernel } from '../backend.js';
import { floatType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { scalar, wrap } from '../make.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { abs, pow, sign, square } from './elementwise.js';
import { checkTensor } from './operand.js';
import { amax, amin, sum } from './reduce.js';
import { squeeze } from './shape-ops.js';

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

/** The orders `matrixNorm` takes: 'fro', 1, −1, `Infinity` or `-Infinity`. */
export type MatrixNormOrd = 'fro' | 1 | -1 | number;

/**
 * The matrix norm of the matrices spanned by `axes` (default the last two), as `torch.linalg.matrix_norm`:
 * 'fro' (Frobenius, the default), 1 / −1 (largest / smallest column sum of |x|) and `Infinity` /
 * `-Infinity` (largest / smallest row sum). The spectral norms (2, −2, 'nuc') need singular values and are
 * not implemented.
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
  const absX = abs(cast(x, floatType(x.dtype)));
  let out: Tensor;
  if (ord === 1 || ord === -1) {
    const columnSums = sum(absX, rows, true);
    out = ord === 1 ? amax(columnSums, cols, true) : amin(columnSums, cols, true);
  } else if (ord === Infinity || ord === -Infinity) {
    const rowSums = sum(absX, cols, true);
    out = ord === Infinity ? amax(rowSums, rows, true) : amin(rowSums, rows, true);
  } else {
    throw new ValueError('matrixNorm', `ord must be 'fro', 1, -1, Infinity or -Infinity, got ${String(ord)} (2, -2 and 'nuc' are not implemented)`);
  }
  return keepDims ? out : squeeze(out, [rows, cols]);
}

/**
 * `torch.norm`: with `p` a number, the vector p-norm over `axes` (all when omitted), even over two axes;
 * with 'fro' (the default), the 2-norm over `axes`, which for two axes is the Frobenius norm.
 *
 * @example
 * norm(tensor([[1, 2], [2, 4]])).item();   // 5
 * norm(tensor([[1, -2], [3, 4]]), 1, 1).toArray(); // [3, 7]
 */
export function norm(x: Tensor, p: number | 'fro' = 'fro', axes?: number | readonly number[], keepDims = false): Tensor {
  checkTensor('norm', x);
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
