import { describe, expect, it } from 'vitest';
import { gemm, gemmTrans } from '../src/cpu/matmul.js';
import { Generator, matmul, randn, tensor, type DType } from './helpers.js';

/** The oracle: C += op(A)·op(B) by the textbook triple loop in float64. */
function naive(
  transA: boolean, transB: boolean, a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>,
  M: number, N: number, K: number,
): Float64Array {
  const out = Float64Array.from(c);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[transA ? k * M + i : i * K + k] * b[transB ? j * K + k : k * N + j];
      out[i * N + j] += s;
    }
  }
  return out;
}

function filled(dtype: 'float32' | 'float64', n: number, gen: Generator): Float32Array | Float64Array {
  const data = randn([n], { generator: gen, dtype }).data as Float32Array | Float64Array;
  return dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
}

function expectClose(got: ArrayLike<number>, want: Float64Array, K: number, dtype: DType): void {
  // float32 C is rounded once per K-block of 256 (products are summed in float64), so errors stay near 2⁻²⁴·|C|.
  const tol = dtype === 'float32' ? 1e-6 * (2 + Math.sqrt(K)) : 1e-12 * (8 + K);
  expect(got.length).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `worst relative error at ${at}: got ${got[at]}, want ${want[at]}`).toBeLessThanOrEqual(tol);
}

// Sizes around the microkernel tile (4), the A block (MC = 128), the K block (KC = 256) and the B panel
// (NC = 1024), plus 0 and 1; and fewer rows than a tile with 8, 9, 17 and more columns, which take the
// small-M path's eight-column loops and their edge columns.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 3], [3, 1, 5], [2, 3, 4], [4, 4, 4], [5, 5, 5], [7, 9, 11], [13, 3, 17], [17, 33, 1],
  [31, 29, 37], [64, 64, 64], [127, 5, 129], [129, 7, 255], [130, 6, 257], [9, 1025, 3], [5, 1030, 260],
  [257, 4, 513], [3, 130, 2], [6, 6, 0], [0, 5, 3], [5, 0, 3],
  [1, 8, 1], [1, 17, 300], [2, 9, 33], [3, 24, 5], [1, 130, 784],
];

describe('gemm (C += A·B)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`agrees with a naive triple loop, ${dtype}, transA=${transA}, transB=${transB}`, () => {
          const gen = new Generator(7);
          for (const [M, N, K] of SHAPES) {
            const a = filled(dtype, M * K, gen);
            const b = filled(dtype, K * N, gen);
            const c = filled(dtype, M * N, gen);
            const want = naive(transA, transB, a, b, c, M, N, K);
            gemmTrans(transA, transB, a, 0, b, 0, c, 0, M, N, K);
            expectClose(c, want, K, dtype);
          }
        });
      }
    }
  }

  it('respects offsets and leaves the rest of C alone', () => {
    const gen = new Generator(3);
    const [M, N, K] = [6, 5, 7];
    const a = filled('float64', 3 + M * K, gen);
    const b = filled('float64', 2 + K * N, gen);
    const c = filled('float64', 4 + M * N + 4, gen);
    const before = Float64Array.from(c);
    const want = naive(false, false, a.subarray(3), b.subarray(2), c.subarray(4, 4 + M * N), M, N, K);
    gemm(a, 3, b, 2, c, 4, M, N, K);
    expectClose(c.subarray(4, 4 + M * N), want, K, 'float64');
    expect([...c.subarray(0, 4), ...c.subarray(4 + M * N)]).toEqual([...before.subarray(0, 4), ...before.subarray(4 + M * N)]);
  });

  it('respects offsets on the small-M path, for every layout', () => {
    const gen = new Generator(5);
    const [M, N, K] = [2, 19, 13];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = filled('float64', 3 + M * K, gen);
        const b = filled('float64', 2 + K * N, gen);
        const c = filled('float64', 4 + M * N + 4, gen);
        const before = Float64Array.from(c);
        const want = naive(transA, transB, a.subarray(3), b.subarray(2), c.subarray(4, 4 + M * N), M, N, K);
        gemmTrans(transA, transB, a, 3, b, 2, c, 4, M, N, K);
        expectClose(c.subarray(4, 4 + M * N), want, K, 'float64');
        expect([...c.subarray(0, 4), ...c.subarray(4 + M * N)]).toEqual([...before.subarray(0, 4), ...before.subarray(4 + M * N)]);
      }
    }
  });

  it('is exact on small integers in int32', () => {
    const a = Int32Array.from({ length: 5 * 9 }, (_, i) => (i % 7) - 3);
    const b = Int32Array.from({ length: 9 * 6 }, (_, i) => (i % 5) - 2);
    const c = new Int32Array(5 * 6).fill(1);
    const want = naive(false, false, a, b, c, 5, 6, 9);
    gemm(a, 0, b, 0, c, 0, 5, 6, 9);
    expect([...c]).toEqual([...want]);
  });

  it('propagates NaN and Infinity as the textbook product does', () => {
    const a = new Float64Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const b = new Float64Array(16).fill(1);
    b[5] = NaN;
    b[10] = Infinity;
    const c = new Float64Array(16);
    gemm(a, 0, b, 0, c, 0, 4, 4, 4);
    expectClose(c, naive(false, false, a, b, new Float64Array(16), 4, 4, 4), 4, 'float64');
    expect(Number.isNaN(c[1])).toBe(true);
  });
});

describe('matmul through the gemm kernel', () => {
  it('batched and broadcast matmul agree with the oracle, with transposes', () => {
    const gen = new Generator(11);
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const [B, M, N, K] = [3, 9, 130, 5];
        const a = randn(transA ? [B, K, M] : [B, M, K], { generator: gen, dtype });
        const b = randn(transB ? [N, K] : [K, N], { generator: gen, dtype }); // shared across the batch
        const out = matmul(a, b, transA, transB);
        expect(out.shape).toEqual([B, M, N]);
        expect(out.dtype).toBe(dtype);
        for (let p = 0; p < B; p++) {
          const aSlice = a.data.subarray(p * M * K, (p + 1) * M * K);
          const want = naive(transA, transB, aSlice, b.data, new Float64Array(M * N), M, N, K);
          expectClose(out.data.subarray(p * M * N, (p + 1) * M * N), want, K, dtype);
        }
      }
    }
  });

  it('keeps matrix–vector and vector–matrix shapes', () => {
    const m = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(matmul(m, tensor([1, 0, -1])).toArray()).toEqual([-2, -2]);
    expect(matmul(tensor([1, -1]), m).toArray()).toEqual([-3, -3, -3]);
  });
});
