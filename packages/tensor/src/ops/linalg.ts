import { runKernel } from '../backend.js';
import { zeros } from '../creation.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { commonFloat } from './conv-geometry.js';
import { narrow } from './indexing-slice.js';
import { checkTensor, requireFloat } from './operand.js';
import { expand, reshape, transpose, unsqueeze, squeeze } from './shape-ops.js';

// Dense linear algebra over the last two axes, batched over the leading ones, as torch.linalg. Every
// kernel factorizes in float64 and rounds the result to the input's dtype. Decompositions with several
// results run as one recorded op whose output packs them flat along the last axis; the results are slices
// of it, so one gradient rule sees the gradients of all of them.

function matrixInput(op: string, a: Tensor, square: boolean): Tensor {
  checkTensor(op, a);
  requireFloat(op, a);
  if (a.rank < 2) throw new ShapeError(op, `expected a matrix or a batch of matrices [..., m, n], got ${fmtShape(a.shape)}`);
  const [m, n] = a.shape.slice(-2);
  if (square && m !== n) throw new ShapeError(op, `expected square matrices [..., n, n], got ${fmtShape(a.shape)}`);
  return a;
}

/**
 * Options of `linalg.cholesky`.
 * @example linalg.cholesky(a, { upper: true }); // U with A = Uᵀ·U
 */
export interface CholeskyOptions {
  /** Return the upper factor Lᵀ instead of L (default false). */
  upper?: boolean;
}

/**
 * Options of `linalg.qr`.
 * @example linalg.qr(a, { mode: 'complete' });
 */
export interface QrOptions {
  /**
   * 'reduced' (default): Q [m, k], R [k, n] with k = min(m, n); 'complete': Q [m, m], R [m, n]; 'r': R
   * [k, n] and an empty Q [0] (here R keeps its gradient, which PyTorch's mode 'r' lacks).
   */
  mode?: 'reduced' | 'complete' | 'r';
}

/**
 * The factors of `linalg.qr`, named as PyTorch's result.
 * @example const { Q, R } = linalg.qr(a);
 */
export interface QrResult {
  /** Orthonormal columns. */
  Q: Tensor;
  /** Upper triangular. */
  R: Tensor;
}

/**
 * Options of `linalg.svd`.
 * @example linalg.svd(a, { fullMatrices: false });
 */
export interface SvdOptions {
  /** Square U [m, m] and Vh [n, n] (default true, as PyTorch), or U [m, k] and Vh [k, n] with k = min(m, n). */
  fullMatrices?: boolean;
}

/**
 * The factors of `linalg.svd`, named as PyTorch's result: A = U·diag(S)·Vh.
 * @example const { U, S, Vh } = linalg.svd(a, { fullMatrices: false });
 */
export interface SvdResult {
  /** Left singular vectors (columns). */
  U: Tensor;
  /** Singular values, descending. */
  S: Tensor;
  /** Right singular vectors (rows): Vᵀ. */
  Vh: Tensor;
}

/**
 * Options of `linalg.eigh` and `linalg.eigvalsh`.
 * @example linalg.eigh(a, { UPLO: 'U' });
 */
export interface EighOptions {
  /** Which triangle of A to read: 'L' (default) or 'U'. */
  UPLO?: 'L' | 'U';
}

/**
 * The result of `linalg.eigh`, named as PyTorch's: A = V·diag(λ)·Vᵀ.
 * @example const { eigenvalues, eigenvectors } = linalg.eigh(a);
 */
export interface EighResult {
  /** Ascending. */
  eigenvalues: Tensor;
  /** Unit eigenvectors as columns. */
  eigenvectors: Tensor;
}

/** Slice `count` values at `offset` of the packed last axis, reshaped to `shape` after the batch axes. */
function unpack(packed: Tensor, offset: number, count: number, shape: readonly number[]): Tensor {
  return reshape(narrow(packed, -1, offset, count), [...packed.shape.slice(0, -1), ...shape]);
}

/**
 * The inverse of a square matrix (or of each in a batch), as `torch.linalg.inv`; an error names a singular
 * matrix (on a GPU backend, which cannot report it synchronously, that matrix's result is NaN, as
 * `torch.linalg.inv_ex` reports it after the fact on CUDA). Gradient: −A⁻ᵀ·G·A⁻ᵀ.
 *
 * @example
 * linalg.inv(tensor([[2, 0], [0, 4]])).toArray(); // [[0.5, 0], [0, 0.25]]
 */
export function inv(a: Tensor): Tensor {
  const op = 'inv';
  matrixInput(op, a, true);
  return recordOp('linalgInv', [a], {}, wrap(runKernel('linalgInv', [a], { op })));
}

/**
 * The determinant of a square matrix (or of each in a batch), as `torch.linalg.det`, by LU with partial
 * pivoting. Gradient: G times the cofactor matrix (det(A)·A⁻ᵀ; through the SVD for a singular A).
 *
 * @example
 * det(tensor([[1, 2], [3, 4]])).item(); // -2
 */
export function det(a: Tensor): Tensor {
  matrixInput('det', a, true);
  return recordOp('linalgDet', [a], {}, wrap(runKernel('linalgDet', [a], {})));
}

/**
 * Solves A·X = B (`torch.linalg.solve`, left side): A [..., n, n]; B [..., n, k], or a vector [n] or
 * [..., n] (when its shape is A's without the last axis), whose result is a vector too. Batch axes
 * broadcast. Differentiable in A and B. A singular A is an error naming it (NaN on a GPU backend).
 *
 * @example
 * linalg.solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])).toArray(); // [2, 3]
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const op = 'solve';
  matrixInput(op, a, true);
  checkTensor(op, b);
  const [A, B] = commonFloat(op, [a, b]) as Tensor[];
  const n = A.shape[A.rank - 1];
  const vector = B.rank === 1 || (B.rank === A.rank - 1 && shapesEqual(B.shape, A.shape.slice(0, -1)));
  const rhs = vector ? unsqueeze(B, -1) : B;
  if (rhs.rank < 2 || rhs.shape[rhs.rank - 2] !== n) {
    throw new ShapeError(op, `B ${fmtShape(b.shape)} must be [..., ${n}, k] or [..., ${n}] to match A ${fmtShape(a.shape)}`);
  }
  const batch = broadcastShapes(op, A.shape.slice(0, -2), rhs.shape.slice(0, -2));
  const Ae = expand(A, [...batch, n, n]);
  const Be = expand(rhs, [...batch, n, rhs.shape[rhs.rank - 1]]);
  const x = recordOp('linalgSolve', [Ae, Be], {}, wrap(runKernel('linalgSolve', [Ae, Be], { op })));
  return vector ? squeeze(x, -1) : x;
}

/**
 * The Cholesky factor of a symmetric positive-definite matrix (`torch.linalg.cholesky`): lower L with
 * A = L·Lᵀ, or upper U = Lᵀ with `upper`. Only the lower triangle of A is read; an error names a matrix
 * that is not positive-definite (on a GPU backend that matrix's factor is NaN instead). The gradient is
 * symmetric, as PyTorch's.
 *
 * @example
 * linalg.cholesky(tensor([[4, 2], [2, 5]])).toArray(); // [[2, 0], [1, 2]]
 */
export function cholesky(a: Tensor, options: CholeskyOptions = {}): Tensor {
  const op = 'cholesky';
  matrixInput(op, a, true);
  const l = recordOp('linalgCholesky', [a], {}, wrap(runKernel('linalgCholesky', [a], { op })));
  return options.upper ? transpose(l, -2, -1) : l;
}

/**
 * The QR decomposition (`torch.linalg.qr`): Q with orthonormal columns and upper-triangular R, A = Q·R.
 * `mode` 'reduced' (default: Q [m, k], R [k, n], k = min(m, n)) or 'complete' (Q [m, m], R [m, n]). By
 * Householder reflections as LAPACK, so the signs match LAPACK's in general; they are not unique. The
 * gradient needs A of full rank, as PyTorch's (and m ≤ n for 'complete'). See `QrOptions` for mode 'r'.
 *
 * @example
 * const { Q, R } = linalg.qr(randn([5, 3])); // Q [5, 3], R [3, 3]
 */
export function qr(a: Tensor, options: QrOptions = {}): QrResult {
  const op = 'qr';
  matrixInput(op, a, false);
  const mode = options.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r') {
    throw new ValueError(op, `mode must be 'reduced', 'complete' or 'r', got '${String(mode)}'`);
  }
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const qCols = mode === 'complete' ? m : k;
  const rRows = qCols;
  const attrs = { m, n, qCols, rRows };
  const packed = recordOp('linalgQr', [a], attrs, wrap(runKernel('linalgQr', [a], attrs)));
  const R = unpack(packed, m * qCols, rRows * n, [rRows, n]);
  return { Q: mode === 'r' ? zeros([0], { dtype: a.dtype }) : unpack(packed, 0, m * qCols, [m, qCols]), R };
}

/**
 * The singular value decomposition (`torch.linalg.svd`): A = U·diag(S)·Vh with S descending. With
 * `fullMatrices` (PyTorch's default, true) U is [m, m] and Vh [n, n]; with false, U [m, k] and Vh [k, n],
 * k = min(m, n). By one-sided Jacobi rotations; singular vectors are unique only up to sign. The gradient
 * needs distinct non-zero singular values when U or Vh is used (as PyTorch's) and, with full matrices, uses
 * only their first k columns / rows (as PyTorch's).
 *
 * @example
 * const { U, S, Vh } = linalg.svd(randn([4, 3]), { fullMatrices: false }); // [4, 3], [3], [3, 3]
 */
export function svd(a: Tensor, options: SvdOptions = {}): SvdResult {
  const op = 'svd';
  matrixInput(op, a, false);
  const fullMatrices = options.fullMatrices ?? true;
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const uCols = fullMatrices ? m : k;
  const vRows = fullMatrices ? n : k;
  const attrs = { m, n, fullMatrices };
  const packed = recordOp('linalgSvd', [a], attrs, wrap(runKernel('linalgSvd', [a], attrs)));
  return {
    U: unpack(packed, 0, m * uCols, [m, uCols]),
    S: unpack(packed, m * uCols, k, [k]),
    Vh: unpack(packed, m * uCols + k, vRows * n, [vRows, n]),
  };
}

/**
 * The singular values of A, descending (`torch.linalg.svdvals`). Differentiable everywhere they are distinct.
 *
 * @example
 * linalg.svdvals(tensor([[3, 0], [0, -4]])).toArray(); // [4, 3]
 */
export function svdvals(a: Tensor): Tensor {
  return svd(a, { fullMatrices: false }).S;
}

/**
 * The eigen-decomposition of a symmetric matrix (`torch.linalg.eigh`): eigenvalues ascending and unit
 * eigenvectors as the columns of `eigenvectors`, A = V·diag(λ)·Vᵀ. Reads the lower triangle (`UPLO` 'L',
 * the default) or the upper ('U'). By cyclic Jacobi rotations; eigenvectors are unique only up to sign.
 * The gradient needs distinct eigenvalues when the eigenvectors are used, and is symmetric, as PyTorch's.
 *
 * @example
 * linalg.eigh(tensor([[2, 1], [1, 2]])).eigenvalues.toArray(); // [1, 3]
 */
export function eigh(a: Tensor, options: EighOptions = {}): EighResult {
  const op = 'eigh';
  matrixInput(op, a, true);
  const uplo = options.UPLO ?? 'L';
  if (uplo !== 'L' && uplo !== 'U') throw new ValueError(op, `UPLO must be 'L' or 'U', got '${String(uplo)}'`);
  const n = a.shape[a.rank - 1];
  const attrs = { n, upper: uplo === 'U' };
  const packed = recordOp('linalgEigh', [a], attrs, wrap(runKernel('linalgEigh', [a], attrs)));
  return { eigenvalues: unpack(packed, 0, n, [n]), eigenvectors: unpack(packed, n, n * n, [n, n]) };
}

/**
 * The eigenvalues of a symmetric matrix, ascending (`torch.linalg.eigvalsh`).
 *
 * @example
 * linalg.eigvalsh(tensor([[2, 1], [1, 2]])).toArray(); // [1, 3]
 */
export function eigvalsh(a: Tensor, options: EighOptions = {}): Tensor {
  return eigh(a, options).eigenvalues;
}

/**
 * `torch.inverse`: the same as `inv` (`linalg.inv`).
 *
 * @example
 * inverse(tensor([[2, 0], [0, 4]])).toArray(); // [[0.5, 0], [0, 0.25]]
 */
export function inverse(a: Tensor): Tensor {
  return inv(a);
}
