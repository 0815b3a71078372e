import type { TypedArray } from '../dtype.js';
import type { MatView } from './gemm-pack.js';

/**
 * C += A·B for very few rows of A (batch-1 inference, matrix–vector products). Packing B would cost as
 * much as the product itself here, so each row of C is built directly: eight dot products per pass over
 * K, kept in eight float64 locals, so that the additions form independent chains and no accumulator goes
 * through memory.
 *
 * The two layouts a Linear layer meets, B row-major (x·W with W stored [in, out]) and B transposed (x·Wᵀ
 * with W stored [out, in], PyTorch's layout), get loops whose indices are all induction variables or
 * loop-invariant offsets: V8 compiles `b[r + 3]` to one addressing mode, but `b[r + 3 * stride]` with a
 * stride read from an object to extra checked arithmetic on every load. Measured on 784×128 (one row),
 * 77–80 µs against 98 µs for an axpy over rows of B with a float64 accumulator array. Other strides
 * (a transposed A) take the general loop.
 */
export function gemmSmallM(A: MatView, B: MatView, c: TypedArray, cOff: number, M: number, N: number, K: number): void {
  for (let i = 0; i < M; i++) {
    const aOff = A.off + i * A.rs;
    const ci = cOff + i * N;
    let done = 0;
    if (A.cs === 1 && B.cs === 1) done = rowTimesAdjacentColumns(A.data, aOff, B.data, B.off, B.rs, c, ci, K, N);
    else if (A.cs === 1 && B.rs === 1) done = rowTimesStoredRows(A.data, aOff, B.data, B.off, B.cs, c, ci, K, N);
    rowTimesAnyColumns(A, aOff, B, c, ci, K, done, N);
  }
}

/** Columns j..j+7 of B are adjacent (B row-major, row stride `brs`); returns how many columns it did. */
function rowTimesAdjacentColumns(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, brs: number, c: TypedArray, cOff: number, K: number, N: number,
): number {
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let k = aOff, r = bOff + j, end = aOff + K; k < end; k++, r += brs) {
      const av = a[k];
      s0 += av * b[r];
      s1 += av * b[r + 1];
      s2 += av * b[r + 2];
      s3 += av * b[r + 3];
      s4 += av * b[r + 4];
      s5 += av * b[r + 5];
      s6 += av * b[r + 6];
      s7 += av * b[r + 7];
    }
    addEight(c, cOff + j, s0, s1, s2, s3, s4, s5, s6, s7);
  }
  return j;
}

/** Column j of B is the contiguous stored row at bOff + j·stride (B transposed); returns how many columns it did. */
function rowTimesStoredRows(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, stride: number, c: TypedArray, cOff: number, K: number, N: number,
): number {
  const o1 = stride, o2 = 2 * stride, o3 = 3 * stride, o4 = 4 * stride, o5 = 5 * stride, o6 = 6 * stride, o7 = 7 * stride;
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let k = aOff, r = bOff + j * stride, end = aOff + K; k < end; k++, r++) {
      const av = a[k];
      s0 += av * b[r];
      s1 += av * b[r + o1];
      s2 += av * b[r + o2];
      s3 += av * b[r + o3];
      s4 += av * b[r + o4];
      s5 += av * b[r + o5];
      s6 += av * b[r + o6];
      s7 += av * b[r + o7];
    }
    addEight(c, cOff + j, s0, s1, s2, s3, s4, s5, s6, s7);
  }
  return j;
}

function addEight(
  c: TypedArray, at: number, s0: number, s1: number, s2: number, s3: number, s4: number, s5: number, s6: number, s7: number,
): void {
  c[at] += s0;
  c[at + 1] += s1;
  c[at + 2] += s2;
  c[at + 3] += s3;
  c[at + 4] += s4;
  c[at + 5] += s5;
  c[at + 6] += s6;
  c[at + 7] += s7;
}

/** Columns from..N−1, one dot product each, for any strides (the edge columns and transposed A). */
function rowTimesAnyColumns(A: MatView, aOff: number, B: MatView, c: TypedArray, cOff: number, K: number, from: number, N: number): void {
  const a = A.data;
  const b = B.data;
  const acs = A.cs;
  const brs = B.rs;
  for (let j = from; j < N; j++) {
    let s = 0;
    for (let k = 0, ai = aOff, bi = B.off + j * B.cs; k < K; k++, ai += acs, bi += brs) s += a[ai] * b[bi];
    c[cOff + j] += s;
  }
}
