import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';

/** Copies the [rows, cols] matrix at `offset` of `src` transposed into `dst` ([cols, rows]). */
function transposeInto(src: TypedArray, offset: number, rows: number, cols: number, dst: TypedArray): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[offset + r * cols + c];
      }
    }
  }
}

/**
 * C[M,N] += A[M,K] · B[K,N], all row-major at the given offsets. Four rows of C are updated per row of B
 * read, and K is blocked so the touched rows of B stay in cache.
 */
export function gemm(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number,
  M: number, N: number, K: number,
): void {
  const KB = 128;
  for (let k0 = 0; k0 < K; k0 += KB) {
    const k1 = Math.min(K, k0 + KB);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const c0 = cOff + i * N;
      const c1 = c0 + N;
      const c2 = c1 + N;
      const c3 = c2 + N;
      for (let k = k0; k < k1; k++) {
        const a0 = a[aOff + i * K + k];
        const a1 = a[aOff + (i + 1) * K + k];
        const a2 = a[aOff + (i + 2) * K + k];
        const a3 = a[aOff + (i + 3) * K + k];
        const bRow = bOff + k * N;
        for (let j = 0; j < N; j++) {
          const bv = b[bRow + j];
          c[c0 + j] += a0 * bv;
          c[c1 + j] += a1 * bv;
          c[c2 + j] += a2 * bv;
          c[c3 + j] += a3 * bv;
        }
      }
    }
    for (; i < M; i++) {
      const ci = cOff + i * N;
      for (let k = k0; k < k1; k++) {
        const av = a[aOff + i * K + k];
        const bRow = bOff + k * N;
        for (let j = 0; j < N; j++) c[ci + j] += av * b[bRow + j];
      }
    }
  }
}

/**
 * Batched matmul over contiguous [B, M, K] × [B, K, N] (either operand may be stored transposed, as
 * backward passes need A·Bᵀ and Aᵀ·B). A batch size of 1 on one side is shared by every batch.
 */
export function matmulKernel(
  a: TensorData, b: TensorData,
  attrs: { M: number; N: number; K: number; batch: number; transA: boolean; transB: boolean; outShape: number[]; dtype: DType },
): TensorData {
  const { M, N, K, batch, transA, transB, dtype } = attrs;
  const out = allocData(dtype, batch * M * N);
  const aBatches = a.data.length / (M * K);
  const bBatches = b.data.length / (K * N);
  const aTmp = transA ? allocData(dtype, M * K) : null;
  const bTmp = transB ? allocData(dtype, K * N) : null;
  for (let p = 0; p < batch; p++) {
    const aOff = (aBatches === 1 ? 0 : p) * M * K;
    const bOff = (bBatches === 1 ? 0 : p) * K * N;
    let A = a.data;
    let aStart = aOff;
    if (aTmp) {
      transposeInto(a.data, aOff, K, M, aTmp);
      A = aTmp;
      aStart = 0;
    }
    let B = b.data;
    let bStart = bOff;
    if (bTmp) {
      transposeInto(b.data, bOff, N, K, bTmp);
      B = bTmp;
      bStart = 0;
    }
    gemm(A, aStart, B, bStart, out, p * M * N, M, N, K);
  }
  return { data: out, shape: attrs.outShape, dtype };
}

export function registerMatmulKernels(): void {
  registerKernel('cpu', 'matmul', ([a, b], attrs) => matmulKernel(a, b, attrs as never));
}
