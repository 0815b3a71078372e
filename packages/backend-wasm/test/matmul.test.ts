import { Generator, cast, matmul, randn, randint, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

/**
 * float32 GEMM error grows with K: compare each element against the cpu result (accumulated in
 * float64) relative to Σ|a||b| of its dot product, the scale the rounding error is proportional to.
 */
function expectMatmulClose(w: Tensor, c: Tensor, absProduct: Tensor): void {
  expect(w.shape).toEqual(c.shape);
  expect(w.dtype).toBe('float32');
  for (let i = 0; i < c.data.length; i++) {
    const scale = absProduct.data[i] + 1e-30;
    if (Math.abs(w.data[i] - c.data[i]) > 2e-6 * scale) expect.fail(`element ${i}: wasm ${w.data[i]}, cpu ${c.data[i]}`);
  }
}

function check(aShape: number[], bShape: number[], transA = false, transB = false, seed = 1): void {
  const g = new Generator(seed);
  const a = randn(aShape, { generator: g });
  const b = randn(bShape, { generator: g });
  const { cpu, wasm } = onBoth(() => matmul(a, b, transA, transB));
  const scale = onBoth(() => matmul(a.abs(), b.abs(), transA, transB)).cpu;
  expectMatmulClose(wasm, cpu, scale);
}

describe('wasm matmul agrees with cpu', () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 33, 64, 65, 127];
  it('on square and odd 2-D shapes, including 1×1 and sizes off the 5×8 and 6×8 tiles', () => {
    let seed = 0;
    for (const M of sizes) for (const N of [1, 3, 8, 9, 31, 65]) for (const K of [1, 2, 5, 16, 33]) check([M, K], [K, N], false, false, seed++);
  });

  it('with K across several 256-deep blocks and N across several column panels', () => {
    check([70, 600], [600, 45]);
    check([9, 257], [257, 2100]);
    check([300, 3], [3, 2049]);
    check([5, 129], [129, 9]);
  });

  it('with either or both operands stored transposed (the backward-pass products)', () => {
    // K = 135: a last k block of 7, four k through the packers' transposes and three one at a time.
    for (const [M, N, K] of [[1, 1, 1], [2, 100, 50], [3, 5, 7], [37, 29, 300], [64, 64, 64], [130, 9, 3], [20, 19, 135]]) {
      check([K, M], [K, N], true, false);
      check([M, K], [N, K], false, true);
      check([K, M], [N, K], true, true);
    }
  });

  it('batched, with a batch of one broadcast on either side and broadcast batch axes', () => {
    check([3, 5, 7], [3, 7, 9]);
    check([4, 6, 11], [11, 5]);
    check([10, 13], [4, 13, 6]);
    check([2, 1, 5, 7], [3, 7, 4]);
    check([2, 3, 7, 5], [2, 3, 9, 7], true, true);
  });

  it('for vectors (matrix–vector and dot products)', () => {
    check([17], [17]);
    check([5, 17], [17]);
    check([17], [17, 5]);
    check([3, 4, 9], [9]);
  });

  it('with empty dimensions', () => {
    const { cpu, wasm } = onBoth(() => matmul(randn([0, 4]), randn([4, 3])));
    expect(wasm.shape).toEqual(cpu.shape);
    const k0 = onBoth(() => matmul(randn([3, 0]), randn([0, 2])));
    expect(k0.wasm.toArray()).toEqual(k0.cpu.toArray());
    // K = 0 past the small-M path: C must come out zero although the blocked path never zeroes it first.
    onBoth(() => matmul(randn([40, 40]), randn([40, 40])));
    const blocked = onBoth(() => matmul(randn([9, 0]), randn([0, 21])));
    expect(blocked.wasm.toArray()).toEqual(blocked.cpu.toArray());
  });

  it('stores over the stale values an earlier product left where C now lives (no zeroing pass)', () => {
    // The arena hands the same memory to each call's C; the first k block stores its tiles, full and
    // partial alike, and later blocks add. A product with large values first, then ones that land on it.
    const g = new Generator(11);
    onBoth(() => matmul(randn([150, 150], { generator: g }).mul(1e6), randn([150, 150], { generator: g })));
    check([130, 1], [1, 140], false, false, 12);
    check([13, 129], [129, 17], false, false, 13);
    check([130, 257], [257, 70], false, false, 14);
  });

  it('hands float64 and int32 products to the cpu kernel, bit for bit', () => {
    const g = new Generator(3);
    const a = cast(randn([9, 11], { generator: g }), 'float64');
    const b = cast(randn([11, 5], { generator: g }), 'float64');
    const f64 = onBoth(() => matmul(a, b));
    expect(f64.wasm.dtype).toBe('float64');
    expect(Array.from(f64.wasm.data)).toEqual(Array.from(f64.cpu.data));
    const ia = randint(-5, 5, [6, 7], { generator: g });
    const ib = randint(-5, 5, [7, 3], { generator: g });
    const i32 = onBoth(() => matmul(ia, ib));
    expect(i32.wasm.dtype).toBe('int32');
    expect(Array.from(i32.wasm.data)).toEqual(Array.from(i32.cpu.data));
  });

  it('is registered on wasm, so it is not among the fallbacks', () => {
    expect(wasmFallbacks()).not.toContain('matmul');
  });
});
