import type { TypedArray } from '../dtype.js';
import type { MatView } from './gemm-pack.js';

/**
 * C += A·B for very few rows of A (batch-1 inference, matrix–vector products). Packing B would cost as
 * much as the product itself here, so each row of C is built directly, accumulated in float64: an axpy
 * over rows of B when B's rows are contiguous, otherwise dot products. The axpy takes four rows of B per
 * pass and the dot products eight outputs per pass so that the additions form independent chains instead of
 * one chain bound by the adder's latency.
 */
export function gemmSmallM(A: MatView, B: MatView, c: TypedArray, cOff: number, M: number, N: number, K: number): void {
  if (B.cs === 1) axpyRows(A, B, c, cOff, M, N, K);
  else dotColumns(A, B, c, cOff, M, N, K);
}

function axpyRows(A: MatView, B: MatView, c: TypedArray, cOff: number, M: number, N: number, K: number): void {
  const a = A.data;
  const b = B.data;
  const acc = new Float64Array(N);
  for (let i = 0; i < M; i++) {
    acc.fill(0);
    const aRow = A.off + i * A.rs;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const a0 = a[aRow + k * A.cs];
      const a1 = a[aRow + (k + 1) * A.cs];
      const a2 = a[aRow + (k + 2) * A.cs];
      const a3 = a[aRow + (k + 3) * A.cs];
      const r0 = B.off + k * B.rs;
      const r1 = r0 + B.rs;
      const r2 = r1 + B.rs;
      const r3 = r2 + B.rs;
      for (let j = 0; j < N; j++) acc[j] += a0 * b[r0 + j] + a1 * b[r1 + j] + a2 * b[r2 + j] + a3 * b[r3 + j];
    }
    for (; k < K; k++) {
      const av = a[aRow + k * A.cs];
      const row = B.off + k * B.rs;
      for (let j = 0; j < N; j++) acc[j] += av * b[row + j];
    }
    const ci = cOff + i * N;
    for (let j = 0; j < N; j++) c[ci + j] += acc[j];
  }
}

function dotColumns(A: MatView, B: MatView, c: TypedArray, cOff: number, M: number, N: number, K: number): void {
  const a = A.data;
  const b = B.data;
  const acs = A.cs;
  const brs = B.rs;
  for (let i = 0; i < M; i++) {
    const aRow = A.off + i * A.rs;
    const ci = cOff + i * N;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      const bs = B.cs;
      const b0 = B.off + j * bs;
      for (let k = 0, ai = aRow, bk = b0; k < K; k++, ai += acs, bk += brs) {
        const av = a[ai];
        s0 += av * b[bk];
        s1 += av * b[bk + bs];
        s2 += av * b[bk + 2 * bs];
        s3 += av * b[bk + 3 * bs];
        s4 += av * b[bk + 4 * bs];
        s5 += av * b[bk + 5 * bs];
        s6 += av * b[bk + 6 * bs];
        s7 += av * b[bk + 7 * bs];
      }
      c[ci + j] += s0;
      c[ci + j + 1] += s1;
      c[ci + j + 2] += s2;
      c[ci + j + 3] += s3;
      c[ci + j + 4] += s4;
      c[ci + j + 5] += s5;
      c[ci + j + 6] += s6;
      c[ci + j + 7] += s7;
    }
    for (; j < N; j++) {
      let s = 0;
      let ai = aRow;
      let bi = B.off + j * B.cs;
      for (let k = 0; k < K; k++, ai += acs, bi += brs) s += a[ai] * b[bi];
      c[ci + j] += s;
    }
  }
}
