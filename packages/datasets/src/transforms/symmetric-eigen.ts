import { ValueError } from '@backprop/tensor';

/** Eigenvalues (descending) and unit eigenvectors (column k of the row-major d×d `vectors`) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric d×d matrix (row-major, float64) by cyclic Jacobi rotations: each rotation
 * zeroes one off-diagonal pair, and sweeps repeat until the off-diagonal mass is negligible. Slower than QR
 * for large d but simple, and accurate for the small covariance matrices of datasets (Golub & Van Loan,
 * Matrix Computations, §8.5). Each eigenvector's largest component is made positive, so results do not
 * depend on rotation order.
 *
 * @example
 * symmetricEigen(new Float64Array([2, 1, 1, 2]), 2).values; // [3, 1]
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number, maxSweeps = 100): SymmetricEigen {
  if (matrix.length !== d * d) throw new ValueError('symmetricEigen', `expected ${d}×${d} = ${d * d} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (let i = 0; i < d * d; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) rotate(a, v, d, p, q);
    }
  }
  const order = Array.from({ length: d }, (_, k) => k).sort((i, j) => a[j * d + j] - a[i * d + i]);
  const values = Float64Array.from(order, (k) => a[k * d + k]);
  const vectors = new Float64Array(d * d);
  order.forEach((k, col) => {
    let largest = 0;
    for (let r = 0; r < d; r++) if (Math.abs(v[r * d + k]) > Math.abs(largest)) largest = v[r * d + k];
    const sign = largest < 0 ? -1 : 1;
    for (let r = 0; r < d; r++) vectors[r * d + col] = sign * v[r * d + k];
  });
  return { values, vectors };
}

/** One Jacobi rotation in the (p, q) plane that zeroes a[p][q], applied to `a` on both sides and to `v`. */
function rotate(a: Float64Array, v: Float64Array, d: number, p: number, q: number): void {
  const apq = a[p * d + q];
  if (apq === 0) return;
  // t = tan of the rotation angle: the smaller root of t² + 2θt − 1 = 0, which keeps the rotation small.
  const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < d; k++) {
    if (k !== p && k !== q) {
      const akp = a[k * d + p];
      const akq = a[k * d + q];
      a[k * d + p] = a[p * d + k] = c * akp - s * akq;
      a[k * d + q] = a[q * d + k] = s * akp + c * akq;
    }
    const vkp = v[k * d + p];
    const vkq = v[k * d + q];
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
  a[p * d + p] -= t * apq;
  a[q * d + q] += t * apq;
  a[p * d + q] = a[q * d + p] = 0;
}
