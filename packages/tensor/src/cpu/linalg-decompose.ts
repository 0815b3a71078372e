// Dense factorizations of one n×n (or m×n) float64 matrix, row-major. The kernels in linalg.ts run them
// over a batch. Jacobi methods are used for the SVD and the symmetric eigenproblem: they are short and
// accurate to a few ulps, which the golden comparisons with LAPACK need.

/** In-place LU with partial pivoting; returns the permutation sign, or 0 with `singular` the failing column. */
export function luFactor(a: Float64Array, n: number, piv: Int32Array): { sign: number; singular: number } {
  let sign = 1;
  let singular = -1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) [best, p] = [v, i];
    }
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j], a[k * n + j]];
    }
    const d = a[k * n + k];
    if (d === 0) {
      if (singular < 0) singular = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k] /= d);
      if (f !== 0) for (let j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
    }
  }
  return { sign, singular };
}

/** Solves LU·X = P·B in place in `b` (n×k) after `luFactor`. */
export function luSolve(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array, k: number): void {
  for (let i = 0; i < n; i++) {
    const p = piv[i];
    if (p !== i) for (let j = 0; j < k; j++) [b[i * k + j], b[p * k + j]] = [b[p * k + j], b[i * k + j]];
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < i; r++) {
      const f = lu[i * n + r];
      if (f !== 0) for (let j = 0; j < k; j++) b[i * k + j] -= f * b[r * k + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const f = lu[i * n + r];
      if (f !== 0) for (let j = 0; j < k; j++) b[i * k + j] -= f * b[r * k + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < k; j++) b[i * k + j] /= d;
  }
}

/** Cholesky factor L (lower) of the matrix whose lower triangle `a` holds; the failing order, or 0. */
export function choleskyInto(a: Float64Array, n: number, l: Float64Array): number {
  l.fill(0);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0)) return j + 1;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return 0;
}

/**
 * Householder QR of an m×n matrix as LAPACK's geqrf/orgqr: reflector j maps column j below the diagonal
 * to β·e₁ with β = −sign(α)·‖x‖, and no reflection when the column is already zero below the diagonal.
 * Writes Q (m×qCols) and R (rRows×n, zero below the diagonal).
 */
export function householderQr(a: Float64Array, m: number, n: number, q: Float64Array, qCols: number, r: Float64Array, rRows: number): void {
  const k = Math.min(m, n);
  const w = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let j = 0; j < k; j++) {
    const alpha = w[j * n + j];
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, w[i * n + j]);
    const v = new Float64Array(m - j);
    v[0] = 1;
    let tau = 0;
    if (xnorm !== 0) {
      const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
      tau = (beta - alpha) / beta;
      for (let i = j + 1; i < m; i++) v[i - j] = w[i * n + j] / (alpha - beta);
      w[j * n + j] = beta;
      for (let i = j + 1; i < m; i++) w[i * n + j] = 0;
      for (let c = j + 1; c < n; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += v[i - j] * w[i * n + c];
        s *= tau;
        for (let i = j; i < m; i++) w[i * n + c] -= s * v[i - j];
      }
    }
    vs.push(v);
    taus.push(tau);
  }
  r.fill(0);
  for (let i = 0; i < Math.min(rRows, m); i++) for (let c = i; c < n; c++) r[i * n + c] = w[i * n + c];
  q.fill(0);
  for (let i = 0; i < Math.min(m, qCols); i++) q[i * qCols + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j];
    const tau = taus[j];
    if (tau === 0) continue;
    for (let c = 0; c < qCols; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i - j] * q[i * qCols + c];
      s *= tau;
      for (let i = j; i < m; i++) q[i * qCols + c] -= s * v[i - j];
    }
  }
}

const EPS = 2.220446049250313e-16;

/**
 * Fills columns `from`… of the m×cols column-orthonormal `u` with unit vectors orthogonal to the
 * columns before them (Gram–Schmidt twice over the standard basis), for zero singular values and full U.
 */
function completeColumns(u: Float64Array, m: number, cols: number, from: number): void {
  let e = 0;
  for (let j = from; j < cols; j++) {
    for (; e < m; e++) {
      const v = new Float64Array(m);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < j; c++) {
          let d = 0;
          for (let i = 0; i < m; i++) d += u[i * cols + c] * v[i];
          for (let i = 0; i < m; i++) v[i] -= d * u[i * cols + c];
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm = Math.hypot(norm, v[i]);
      if (norm > 1e-8) {
        for (let i = 0; i < m; i++) u[i * cols + j] = v[i] / norm;
        e++;
        break;
      }
    }
  }
}

/**
 * One-sided Jacobi SVD of a tall m×n matrix (m ≥ n): rotates column pairs until all are orthogonal; the
 * singular values are the column norms, sorted descending. Writes U (m×uCols, uCols n or m), S (n) and
 * V (n×n, columns the right singular vectors).
 */
export function jacobiSvdTall(a: Float64Array, m: number, n: number, u: Float64Array, uCols: number, s: Float64Array, v: Float64Array): void {
  const w = Float64Array.from(a);
  const vw = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vw[i * n + i] = 1;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p];
          const y = w[i * n + q];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p];
          const y = w[i * n + q];
          w[i * n + p] = c * x - sn * y;
          w[i * n + q] = sn * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = vw[i * n + p];
          const y = vw[i * n + q];
          vw[i * n + p] = c * x - sn * y;
          vw[i * n + q] = sn * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    for (let i = 0; i < m; i++) t = Math.hypot(t, w[i * n + j]);
    norms[j] = t;
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const largest = norms[order[0]] ?? 0;
  u.fill(0);
  let filled = n;
  order.forEach((j, c) => {
    s[c] = norms[j];
    for (let i = 0; i < n; i++) v[i * n + c] = vw[i * n + j];
    if (norms[j] > largest * m * EPS && norms[j] > 0) {
      for (let i = 0; i < m; i++) u[i * uCols + c] = w[i * n + j] / norms[j];
    } else if (filled === n) {
      filled = c;
    }
  });
  completeColumns(u, m, uCols, Math.min(filled, n));
}

/**
 * Cyclic Jacobi eigen-decomposition of the symmetric matrix whose lower triangle `a` holds: eigenvalues
 * ascending into `values`, unit eigenvectors as the columns of `vectors` (n×n).
 */
export function jacobiEigh(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      w[i * n + j] = a[i * n + j];
      w[j * n + i] = a[i * n + j];
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = w[p * n + q];
        const app = w[p * n + p];
        const aqq = w[q * n + q];
        if (apq === 0) continue;
        // Demmel and Veselić's relative test: below it the rotation would not change any eigenvalue.
        if (Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app * aqq))) {
          w[p * n + q] = w[q * n + p] = 0;
          continue;
        }
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const x = w[k * n + p];
          const y = w[k * n + q];
          w[k * n + p] = c * x - s * y;
          w[k * n + q] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const x = w[p * n + k];
          const y = w[q * n + k];
          w[p * n + k] = c * x - s * y;
          w[q * n + k] = s * x + c * y;
        }
        w[p * n + q] = w[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const x = v[k * n + p];
          const y = v[k * n + q];
          v[k * n + p] = c * x - s * y;
          v[k * n + q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => w[x * n + x] - w[y * n + y] || x - y);
  order.forEach((j, c) => {
    values[c] = w[j * n + j];
    for (let i = 0; i < n; i++) vectors[i * n + c] = v[i * n + j];
  });
}
