import type { KernelAttrs, TensorData } from '../backend.js';
import { allocData, type TypedArray } from '../dtype.js';
import { ValueError } from '../errors.js';
import { sizeOf } from '../shape.js';
import { choleskyInto, householderQr, jacobiEigh, jacobiSvdTall, luFactor, luSolve } from './linalg-decompose.js';

/** The batch count and the last two sizes of a [..., m, n] input. */
function dims(x: TensorData): [number, number, number] {
  const r = x.shape.length;
  return [sizeOf(x.shape.slice(0, -2)), x.shape[r - 2], x.shape[r - 1]];
}

function matrixAt(src: TypedArray, b: number, size: number): Float64Array {
  return Float64Array.from(src.subarray(b * size, (b + 1) * size) as ArrayLike<number>);
}

function batchNote(batches: number, b: number): string {
  return batches > 1 ? ` (batch element ${b})` : '';
}

export function linalgInvKernel([a]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [batches, n] = dims(a);
  const out = allocData(a.dtype, a.data.length);
  const piv = new Int32Array(n);
  for (let b = 0; b < batches; b++) {
    const lu = matrixAt(a.data, b, n * n);
    const { singular } = luFactor(lu, n, piv);
    if (singular >= 0) {
      throw new ValueError(String(attrs.op), `the matrix is singular${batchNote(batches, b)}: pivot ${singular + 1} of its LU factorization is zero, so it has no inverse`);
    }
    const x = new Float64Array(n * n);
    for (let i = 0; i < n; i++) x[i * n + i] = 1;
    luSolve(lu, n, piv, x, n);
    out.set(x, b * n * n);
  }
  return { data: out, shape: a.shape, dtype: a.dtype };
}

export function linalgDetKernel([a]: readonly TensorData[]): TensorData {
  const [batches, n] = dims(a);
  const out = allocData(a.dtype, batches);
  const piv = new Int32Array(n);
  for (let b = 0; b < batches; b++) {
    const lu = matrixAt(a.data, b, n * n);
    const { sign } = luFactor(lu, n, piv);
    let d = sign;
    for (let i = 0; i < n; i++) d *= lu[i * n + i];
    out[b] = d;
  }
  return { data: out, shape: a.shape.slice(0, -2), dtype: a.dtype };
}

/** Solves A X = B for [batch, n, n] A and [batch, n, k] B. */
export function linalgSolveKernel([a, rhs]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [batches, n] = dims(a);
  const k = rhs.shape[rhs.shape.length - 1];
  const out = allocData(a.dtype, rhs.data.length);
  const piv = new Int32Array(n);
  for (let b = 0; b < batches; b++) {
    const lu = matrixAt(a.data, b, n * n);
    const { singular } = luFactor(lu, n, piv);
    if (singular >= 0) {
      throw new ValueError(String(attrs.op), `A is singular${batchNote(batches, b)}: pivot ${singular + 1} of its LU factorization is zero, so the system has no unique solution`);
    }
    const x = matrixAt(rhs.data, b, n * k);
    luSolve(lu, n, piv, x, k);
    out.set(x, b * n * k);
  }
  return { data: out, shape: rhs.shape, dtype: a.dtype };
}

export function linalgCholeskyKernel([a]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [batches, n] = dims(a);
  const out = allocData(a.dtype, a.data.length);
  const l = new Float64Array(n * n);
  for (let b = 0; b < batches; b++) {
    const failed = choleskyInto(matrixAt(a.data, b, n * n), n, l);
    if (failed > 0) {
      throw new ValueError(String(attrs.op), `the input is not positive-definite${batchNote(batches, b)}: its leading minor of order ${failed} is not positive-definite`);
    }
    out.set(l, b * n * n);
  }
  return { data: out, shape: a.shape, dtype: a.dtype };
}

/** QR packed as [..., m·qCols + rRows·n]: Q then R, each row-major. */
export function linalgQrKernel([a]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [batches, m, n] = dims(a);
  const { qCols, rRows } = attrs as { qCols: number; rRows: number };
  const packed = m * qCols + rRows * n;
  const out = allocData(a.dtype, batches * packed);
  const q = new Float64Array(m * qCols);
  const r = new Float64Array(rRows * n);
  for (let b = 0; b < batches; b++) {
    householderQr(matrixAt(a.data, b, m * n), m, n, q, qCols, r, rRows);
    out.set(q, b * packed);
    out.set(r, b * packed + m * qCols);
  }
  return { data: out, shape: [...a.shape.slice(0, -2), packed], dtype: a.dtype };
}

function transposeOf(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
  return t;
}

/** SVD packed as [..., m·uCols + k + vRows·n]: U, then S (descending), then Vh. */
export function linalgSvdKernel([a]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [batches, m, n] = dims(a);
  const full = attrs.fullMatrices as boolean;
  const k = Math.min(m, n);
  const uCols = full ? m : k;
  const vRows = full ? n : k;
  const packed = m * uCols + k + vRows * n;
  const out = allocData(a.dtype, batches * packed);
  for (let b = 0; b < batches; b++) {
    const x = matrixAt(a.data, b, m * n);
    const s = new Float64Array(k);
    const base = b * packed;
    if (m >= n) {
      const u = new Float64Array(m * uCols);
      const v = new Float64Array(n * n);
      jacobiSvdTall(x, m, n, u, uCols, s, v);
      out.set(u, base);
      out.set(s, base + m * uCols);
      out.set(transposeOf(v, n, n), base + m * uCols + k);
    } else {
      // A = (Aᵀ)ᵀ = (U' S V'ᵀ)ᵀ = V' S U'ᵀ: the left vectors of Aᵀ are the right vectors of A.
      const u = new Float64Array(n * vRows);
      const v = new Float64Array(m * m);
      jacobiSvdTall(transposeOf(x, m, n), n, m, u, vRows, s, v);
      out.set(v, base);
      out.set(s, base + m * uCols);
      out.set(transposeOf(u, n, vRows), base + m * uCols + k);
    }
  }
  return { data: out, shape: [...a.shape.slice(0, -2), packed], dtype: a.dtype };
}

/** Symmetric eigen-decomposition packed as [..., n + n·n]: eigenvalues ascending, then the eigenvectors (columns). */
export function linalgEighKernel([a]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const [batches, n] = dims(a);
  const upper = attrs.upper as boolean;
  const packed = n + n * n;
  const out = allocData(a.dtype, batches * packed);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let b = 0; b < batches; b++) {
    const x = matrixAt(a.data, b, n * n);
    jacobiEigh(upper ? transposeOf(x, n, n) : x, n, values, vectors);
    out.set(values, b * packed);
    out.set(vectors, b * packed + n);
  }
  return { data: out, shape: [...a.shape.slice(0, -2), packed], dtype: a.dtype };
}
