import type { TypedArray } from '../dtype.js';
import type { MatView } from './gemm-pack.js';

/**
 * C += A·B for very few rows of A (batch-1 inference, matrix–vector products). Packing B would cost as
 * much as the product itself here, so each row of C is built directly: an axpy over rows of B when B's
 * rows are contiguous, otherwise a dot product per element, both accumulated in float64.
 */
export function gemmSmallM(A: MatView, B: MatView, c: TypedArray, cOff: number, M: number, N: number, K: number): void {
  const a = A.data;
  const b = B.data;
  if (B.cs === 1) {
    const acc = new Float64Array(N);
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const av = a[A.off + i * A.rs + k * A.cs];
        const row = B.off + k * B.rs;
        for (let j = 0; j < N; j++) acc[j] += av * b[row + j];
      }
      const ci = cOff + i * N;
      for (let j = 0; j < N; j++) c[ci + j] += acc[j];
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    const aRow = A.off + i * A.rs;
    const ci = cOff + i * N;
    for (let j = 0; j < N; j++) {
      let s = 0;
      let ai = aRow;
      let bi = B.off + j * B.cs;
      for (let k = 0; k < K; k++, ai += A.cs, bi += B.rs) s += a[ai] * b[bi];
      c[ci + j] += s;
    }
  }
}
