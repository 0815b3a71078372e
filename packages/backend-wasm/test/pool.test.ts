import '@backprop/autograd';
import { grad } from '@backprop/autograd';
import {
  Generator, adaptiveAvgPool2d, avgPool2d, type AvgPoolOptions, cast, gatherPlanes, maxPool2d, maxPool2dWithIndices, randn,
  type KernelAttrs, runKernel, scatterAddPlanes, setBackend, Tensor, tensor, type TensorData, toBackend_, upsampleNearest2d,
} from '@backprop/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArgmaxValues } from '../src/kernels/pool-max.js';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

afterEach(() => setBackend('cpu'));

// Odd planes (widths not multiples of the two-float step), windows reaching into padding on one side,
// ceil-mode windows hanging past the edge, overlapping windows, a batch of 1 and an unbatched input.
// All are at least 1024 elements, so they run in wasm rather than below the small-size cutoff.
const AVG_CASES: [string, number[], AvgPoolOptions][] = [
  ['2×2', [2, 3, 16, 16], { kernelSize: 2 }],
  ['3×3 stride 1 padding 1', [1, 4, 13, 11], { kernelSize: 3, stride: 1, padding: 1 }],
  ['3×3 stride 2 padding 1, excluding padding', [2, 5, 15, 9], { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }],
  ['ceil mode', [3, 2, 15, 17], { kernelSize: [3, 2], stride: [2, 3], ceilMode: true }],
  ['divisor override', [2, 3, 12, 14], { kernelSize: 4, stride: 3, padding: 2, divisorOverride: 5 }],
  ['unbatched 7×7', [40, 7, 7], { kernelSize: 2, stride: 1 }],
  ['width 1', [8, 4, 64, 1], { kernelSize: [3, 1], stride: [2, 1] }],
];

const input = (shape: readonly number[], seed: number): Tensor => randn([...shape], { generator: new Generator(seed) });

/** The gradient of Σ f(x)·r for a fixed random r: f's backward kernel applied to r. */
function backward(f: (x: Tensor) => Tensor, x: Tensor, seed: number): Tensor {
  const r = input(f(x).shape, seed);
  return grad((t: Tensor) => f(t).mul(r).sum())(x)[0];
}

describe('wasm average pooling agrees with cpu', () => {
  it('avgPool2d forward and backward for odd sizes, padding, ceil mode and divisors', () => {
    AVG_CASES.forEach(([, shape, options], i) => {
      const x = input(shape, i + 1);
      const f = (t: Tensor): Tensor => avgPool2d(t, options);
      const fwd = onBoth(() => f(x));
      // float64 sums and division on both sides: at most an ulp apart from a different addition order.
      expectClose(fwd.wasm, fwd.cpu, 2.4e-7, 1e-7);
      const bwd = onBoth(() => backward(f, x, i + 100));
      expectClose(bwd.wasm, bwd.cpu, 2.4e-7, 1e-7);
    });
    for (const k of ['windowAverage2d', 'windowAverage2dBackward']) expect(wasmFallbacks()).not.toContain(k);
  });

  it('adaptive and global average pooling and nearest upsampling, forward and backward', () => {
    const x = input([4, 6, 9, 11], 21);
    const ops: ((t: Tensor) => Tensor)[] = [
      (t) => adaptiveAvgPool2d(t, 1),
      (t) => adaptiveAvgPool2d(t, [4, 3]),
      (t) => adaptiveAvgPool2d(t, [12, null]),
      (t) => upsampleNearest2d(t, { scaleFactor: 2 }),
    ];
    ops.forEach((f, i) => {
      const fwd = onBoth(() => f(x));
      expectClose(fwd.wasm, fwd.cpu, 2.4e-7, 1e-7);
      const bwd = onBoth(() => backward(f, x, i + 200));
      expectClose(bwd.wasm, bwd.cpu, 2.4e-7, 1e-7);
    });
  });

  it('propagates NaN and ∞ to the windows that hold them', () => {
    const x = input([2, 2, 16, 17], 31);
    const d = x.data as Float32Array;
    d[3 * 17 + 5] = NaN;
    d[16 * 17 + 16] = Infinity; // plane 1, row 0, the odd last column
    d[2 * 16 * 17 + 9] = -Infinity;
    for (const options of [{ kernelSize: 2 }, { kernelSize: 3, stride: 1, padding: 1 }]) {
      const fwd = onBoth(() => avgPool2d(x, options));
      expectClose(fwd.wasm, fwd.cpu, 2.4e-7, 1e-7);
      expect(Array.from(fwd.wasm.data, Number.isNaN)).toEqual(Array.from(fwd.cpu.data, Number.isNaN));
      expect(Array.from(fwd.wasm.data, Number.isNaN).some(Boolean)).toBe(true);
      const g = fwd.cpu.mul(0).add(1);
      (g.data as Float32Array)[1] = NaN;
      const bwd = onBoth(() => backward((t) => avgPool2d(t, options).mul(g), x, 300));
      expect(Array.from(bwd.wasm.data, Number.isNaN)).toEqual(Array.from(bwd.cpu.data, Number.isNaN));
    }
  });

  it('leaves float64, empty and small inputs to the cpu kernel, unchanged', () => {
    const x64 = cast(input([2, 3, 16, 16], 41), 'float64');
    const r = onBoth(() => avgPool2d(x64, { kernelSize: 3, stride: 2, padding: 1 }));
    expect(r.wasm.dtype).toBe('float64');
    expect(Array.from(r.wasm.data)).toEqual(Array.from(r.cpu.data));
    const b = onBoth(() => backward((t) => avgPool2d(t, { kernelSize: 2 }), x64, 42));
    expect(Array.from(b.wasm.data)).toEqual(Array.from(b.cpu.data));
    const empty = onBoth(() => avgPool2d(input([0, 3, 40, 40], 43), { kernelSize: 2 }));
    expect(empty.wasm.shape).toEqual([0, 3, 20, 20]);
    const small = onBoth(() => avgPool2d(input([1, 1, 4, 4], 44), { kernelSize: 2 }));
    expect(Array.from(small.wasm.data)).toEqual(Array.from(small.cpu.data));
  });
});

describe('wasm max-pool backward (scatterAddPlanes) agrees with cpu', () => {
  it('bit for bit, overlapping windows included (float32 adds in the cpu kernel order)', () => {
    const cases: [number[], { kernelSize: number; stride?: number; padding?: number }][] = [
      [[2, 3, 16, 16], { kernelSize: 2 }],
      [[1, 5, 13, 11], { kernelSize: 3, stride: 1, padding: 1 }],
      [[3, 2, 15, 9], { kernelSize: 3, stride: 2 }],
    ];
    cases.forEach(([shape, options], i) => {
      const x = input(shape, i + 51);
      const { indices } = maxPool2dWithIndices(x, options);
      const src = input(indices.shape, i + 61);
      const direct = onBoth(() => scatterAddPlanes(src, indices, [shape[2], shape[3]]));
      expect(Array.from(direct.wasm.data)).toEqual(Array.from(direct.cpu.data));
      const bwd = onBoth(() => backward((t) => maxPool2d(t, options), x, i + 71));
      expect(Array.from(bwd.wasm.data)).toEqual(Array.from(bwd.cpu.data));
    });
    expect(wasmFallbacks()).not.toContain('scatterAddPlanes');
    // Gathering the values runs the cpu loop, reading a resident input in place (kernels/heap-read.ts).
    expect(wasmFallbacks()).not.toContain('gatherPlanes');
  });

  it('carries NaN gradients, and leaves float64 to cpu', () => {
    const x = input([2, 4, 12, 12], 81);
    const { indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
    const src = input(indices.shape, 82);
    (src.data as Float32Array)[7] = NaN;
    const r = onBoth(() => scatterAddPlanes(src, indices, [12, 12]));
    expect(Array.from(r.wasm.data, Number.isNaN)).toEqual(Array.from(r.cpu.data, Number.isNaN));
    expectClose(r.wasm, r.cpu, 0, 0);
    const r64 = onBoth(() => scatterAddPlanes(cast(src, 'float64'), indices, [12, 12]));
    expect(r64.wasm.dtype).toBe('float64');
    expectClose(r64.wasm, r64.cpu, 0, 0);
  });
});

describe("max pooling's values on wasm are the maxima its argmax kernel found", () => {
  const bits = (t: Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

  it('bit for bit the cpu gather (NaN, ±0, −∞)', () => {
    const values = Array.from({ length: 2 * 3 * 12 * 13 }, (_, j) => ((j * 7919) % 11) - 5);
    values[0] = -0;
    values[1] = 0;
    values[14] = Number.NaN;
    for (const j of [4, 5, 17, 18]) values[j] = -Infinity;
    const x = tensor(Float32Array.from(values), [2, 3, 12, 13]);
    for (const options of [{ kernelSize: 2 }, { kernelSize: 3, stride: 1, padding: 1 }]) {
      const r = onBoth(() => maxPool2dWithIndices(x, options));
      expect(bits(r.wasm.values)).toEqual(bits(r.cpu.values));
      expect(Array.from(r.wasm.indices.dataSync())).toEqual(Array.from(r.cpu.indices.dataSync()));
      const again = onBoth(() => gatherPlanes(x, r.cpu.indices));
      expect(bits(again.wasm)).toEqual(bits(r.cpu.values));
    }
  });

  it('gatherPlanes with { argmax: true } right after the argmax returns its maxima; other gathers read x', () => {
    setBackend('wasm');
    const data = Float32Array.from({ length: 2 * 16 * 16 }, (_, j) => (j * 37) % 101);
    const x = { data, shape: [1, 2, 16, 16], dtype: 'float32' as const };
    const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], outSize: [8, 8], shape: [1, 2, 8, 8] };
    // Host kernels return host arrays.
    const run = (name: string, inputs: TensorData[], a: KernelAttrs): TensorData => runKernel(name, inputs, a) as TensorData;
    const indices = run('maxPool2dIndices', [x], attrs);
    const maxima = Array.from(run('gatherPlanes', [x, indices], {}).data);
    // Changing x in between (which max pooling never does) shows which one answered: the kept maxima, once.
    data.fill(-1);
    expect(Array.from(run('gatherPlanes', [x, indices], { argmax: true }).data)).toEqual(maxima);
    expect(Array.from(run('gatherPlanes', [x, indices], { argmax: true }).data)).toEqual(maxima.map(() => -1));
    const fresh = run('maxPool2dIndices', [x], attrs);
    expect(Array.from(run('gatherPlanes', [x, fresh], {}).data)).toEqual(maxima.map(() => -1));
    expect(Array.from(run('gatherPlanes', [x, fresh], { argmax: true }).data)).toEqual(maxima.map(() => -1));
  });

  it('hands the kept maxima only to the arrays they came from, once', () => {
    const kept = new ArgmaxValues();
    const x = { data: new Float32Array(4), shape: [1, 1, 2, 2], dtype: 'float32' as const };
    const indices = new Int32Array([3]);
    const idx = { data: indices, shape: [1, 1, 1, 1], dtype: 'int32' as const };
    const maxima = new Float32Array([7]);
    kept.remember(x, indices, maxima);
    expect(kept.claim({ ...x, data: new Float32Array(4) }, idx)).toBeNull();
    kept.remember(x, indices, maxima);
    expect(kept.claim(x, { ...idx, data: new Int32Array([3]) })).toBeNull();
    kept.remember(x, indices, maxima);
    expect(kept.claim(x, idx)).toBe(maxima);
    expect(kept.claim(x, idx)).toBeNull();
  });

  it('knows an input in the heap by its storage (its .data is a fresh copy at every read)', () => {
    setBackend('wasm');
    const kept = new ArgmaxValues();
    const x = randn([1, 1, 2, 2], { generator: new Generator(3) });
    toBackend_(x);
    expect(x.device).toBe('wasm');
    const indices = new Int32Array([3]);
    const idx = { data: indices, shape: [1, 1, 1, 1], dtype: 'int32' as const };
    const maxima = new Float32Array([7]);
    kept.remember(x, indices, maxima);
    expect(kept.claim(new Tensor(x.storage, x.shape, x.dtype), idx)).toBe(maxima);
    kept.remember(x, indices, maxima);
    expect(kept.claim(randn([1, 1, 2, 2]), idx)).toBeNull();
  });
});
