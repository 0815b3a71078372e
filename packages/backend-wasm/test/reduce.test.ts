import { Generator, cast, max, mean, min, prod, randn, sum, tensor, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { planReduce } from '../src/kernels/reduce.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

type Reduce = (x: Tensor, axes?: number | number[], keepDims?: boolean) => Tensor;
const OPS: [string, Reduce][] = [['sum', sum], ['mean', mean], ['prod', prod], ['max', max], ['min', min]];

// Every case has at least 1024 elements, so it runs in wasm rather than below the small-size cutoff:
// rows and columns of odd lengths (not multiples of the 4- and 8-float vector steps), reduced axes of
// length 1, and each axis pattern the kernel handles (all, trailing, leading, middle, leading+trailing).
const CASES: [number[], number[] | undefined][] = [
  [[1025], undefined],
  [[3, 7, 53], undefined],
  [[1100, 1], [1]],
  [[1, 1500], [0]],
  [[37, 61], [1]],
  [[37, 61], [0]],
  [[2001, 3], [0]],
  [[5, 1030], [-1]],
  [[4, 9, 31], [1, 2]],
  [[9, 13, 11], [1]],
  [[6, 7, 5, 9], [0, 2, 3]],
  [[6, 7, 5, 9], [0, 1, 3]],
  [[2, 3, 4, 5, 11], [0, 3, 4]],
];

/** Values near 1, so products of a thousand of them stay well inside float32's range. */
function nearOne(shape: number[], seed: number): Tensor {
  return randn(shape, { generator: new Generator(seed) }).mul(0.02).add(1);
}

describe('wasm reductions agree with cpu', () => {
  it('sum, mean, prod, max and min over every handled axis pattern and odd sizes', () => {
    CASES.forEach(([shape, axes], i) => {
      const x = randn(shape, { generator: new Generator(i + 1) }).mul(3);
      for (const [name, op] of OPS) {
        const input = name === 'prod' ? nearOne(shape, i + 50) : x;
        for (const keepDims of [false, true]) {
          const { cpu, wasm } = onBoth(() => op(input, axes, keepDims));
          // Both sum in float64 and round once: only the order of the float64 additions differs, which
          // can move a result by one float32 ulp at most (cancellations aside, hence the small atol).
          if (name === 'max' || name === 'min') expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
          else expectClose(wasm, cpu, 2e-7, 1e-6);
        }
      }
    });
    for (const k of ['sum', 'prod', 'max', 'min']) expect(wasmFallbacks()).not.toContain(k);
  });

  it('accumulates sums in float64: a million values near 1 lose nothing a float32 sum would', () => {
    const x = randn([1 << 20], { generator: new Generator(7) }).mul(0.1).add(1);
    const { cpu, wasm } = onBoth(() => sum(x));
    // A float32 running sum drifts by ~1e-4 relative here; a correctly rounded one is within half an ulp.
    expectClose(wasm, cpu, 1.2e-7, 0);
    const rows = randn([16, 65536], { generator: new Generator(8) }).add(2);
    const r = onBoth(() => sum(rows, 0));
    expectClose(r.wasm, r.cpu, 1.2e-7, 0);
    const c = onBoth(() => sum(rows, 1));
    expectClose(c.wasm, c.cpu, 1.2e-7, 0);
  });

  it('propagates NaN and ±∞ per output, as the cpu kernel does', () => {
    const data = randn([40, 33], { generator: new Generator(3) });
    const d = data.data as Float32Array;
    d[5 * 33 + 7] = NaN; // row 5, column 7
    d[9 * 33 + 32] = Infinity; // row 9, the odd last column
    d[20 * 33 + 0] = -Infinity;
    d[21 * 33 + 1] = Infinity;
    d[21 * 33 + 2] = -Infinity; // row 21 sums to NaN
    for (const axes of [undefined, [0], [1]]) {
      for (const [, op] of OPS) {
        const { cpu, wasm } = onBoth(() => op(data, axes));
        expectClose(wasm, cpu, 2e-7, 1e-6);
        expect(Array.from(wasm.data, Number.isNaN)).toEqual(Array.from(cpu.data, Number.isNaN));
      }
    }
    // NaN anywhere in a long row (in the vector part and in the scalar tail) makes its max NaN.
    const long = randn([3, 1027], { generator: new Generator(4) });
    (long.data as Float32Array)[100] = NaN;
    (long.data as Float32Array)[2 * 1027 + 1026] = NaN;
    const m = onBoth(() => max(long, 1));
    expect(Array.from(m.wasm.data, Number.isNaN)).toEqual([true, false, true]);
    expect(Array.from(m.cpu.data, Number.isNaN)).toEqual([true, false, true]);
  });

  it('hands other axis patterns, dtypes, empty and small tensors to the cpu kernel, unchanged', () => {
    const x = randn([4, 6, 5, 9], { generator: new Generator(5) });
    for (const axes of [[1, 3], [0, 2], []]) {
      const { cpu, wasm } = onBoth(() => sum(x, axes));
      expect(wasm.shape).toEqual(cpu.shape);
      expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
    }
    for (const t of [cast(x, 'float64'), cast(x.mul(10), 'int32')]) {
      for (const [, op] of OPS) {
        const { cpu, wasm } = onBoth(() => op(t, [0, 2, 3]));
        expect(wasm.dtype).toBe(cpu.dtype);
        expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
      }
    }
    const empty = onBoth(() => sum(randn([0, 1200]), 0));
    expect(empty.wasm.shape).toEqual([1200]);
    expect(Array.from(empty.wasm.data)).toEqual(Array.from(empty.cpu.data));
    const tiny = onBoth(() => prod(tensor([2, 3, 4]), 0));
    expect(tiny.wasm.item()).toBe(24);
  });
});

describe('planReduce', () => {
  it('splits contiguous axes into [outer, n, inner] and leading+trailing ones into [A, K, B]', () => {
    expect(planReduce([2, 3, 4], [0, 1, 2])).toEqual({ kind: 'block', outer: 1, n: 24, inner: 1 });
    expect(planReduce([2, 3, 4], [2])).toEqual({ kind: 'block', outer: 6, n: 4, inner: 1 });
    expect(planReduce([2, 3, 4], [0])).toEqual({ kind: 'block', outer: 1, n: 2, inner: 12 });
    expect(planReduce([2, 3, 4], [1])).toEqual({ kind: 'block', outer: 2, n: 3, inner: 4 });
    expect(planReduce([2, 3, 4, 5], [0, 2, 3])).toEqual({ kind: 'outerInner', A: 2, K: 3, B: 20 });
    expect(planReduce([2, 3, 4, 5], [0, 3])).toEqual({ kind: 'outerInner', A: 2, K: 12, B: 5 });
    expect(planReduce([2, 3, 4, 5], [1, 3])).toBeNull();
    expect(planReduce([2, 3, 4, 5], [0, 2])).toBeNull();
    expect(planReduce([2, 3, 4], [2, 0])).toBeNull();
    expect(planReduce([2, 3, 4], [])).toBeNull();
  });
});
