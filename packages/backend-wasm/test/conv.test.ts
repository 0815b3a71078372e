import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import {
  Generator, conv2d, type ConvGeometry, conv2dBackwardWeight, convTranspose2d, maxPool2dWithIndices, randn, setBackend, tensor, type Tensor,
} from '@backprop/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

afterEach(() => setBackend('cpu'));

interface Case {
  name: string;
  x: number[];
  w: number[];
  stride?: number[];
  padding?: number[];
  dilation?: number[];
  groups?: number;
  bias?: boolean;
}

// Odd sizes on purpose: rows and columns that are not multiples of the 5×8 and 6×8 tiles, kernels reaching
// into the padding on one side only, strides that skip the last column, dilation, groups, a batch of 1.
// Padded convolutions with groups of at least 4 outputs run as an implicit GEMM (the patches packed from
// the image, see test/conv-gemm.test.ts), groups of fewer as im2col + gemm; unpadded ones run the direct
// kernels: the cases cover all three.
const CASES: Case[] = [
  { name: 'LeNet conv1, batch 3', x: [3, 1, 28, 28], w: [6, 1, 5, 5], bias: true },
  { name: 'batch 1, 3×3, padding 1', x: [1, 3, 9, 7], w: [5, 3, 3, 3], padding: [1, 1], bias: true },
  { name: 'stride 2, padding [2, 1]', x: [2, 4, 11, 10], w: [7, 4, 3, 5], stride: [2, 2], padding: [2, 1] },
  { name: 'stride [3, 2] skips the edge', x: [2, 2, 10, 9], w: [3, 2, 2, 2], stride: [3, 2], bias: true },
  { name: 'dilation 2, padding 2', x: [2, 3, 9, 9], w: [4, 3, 3, 3], dilation: [2, 2], padding: [2, 2] },
  { name: 'groups 2, batch 1', x: [1, 6, 8, 7], w: [4, 3, 3, 3], groups: 2, padding: [1, 0], bias: true },
  { name: 'depthwise (groups = channels)', x: [3, 5, 6, 6], w: [10, 1, 3, 3], groups: 5, stride: [2, 1], padding: [1, 1] },
  { name: '1×1 convolution', x: [2, 8, 5, 5], w: [3, 8, 1, 1], bias: true },
  { name: 'kernel as large as the padded input', x: [2, 2, 3, 4], w: [2, 2, 5, 6], padding: [1, 1] },
  { name: 'groups 2 of 4 outputs, padding [1, 2], batch 3', x: [3, 6, 9, 10], w: [8, 3, 3, 3], groups: 2, padding: [1, 2], bias: true },
  { name: 'K = 150 over one k block, N·L = 768 over one column panel', x: [3, 6, 20, 20], w: [9, 6, 5, 5], bias: true },
  // Unpadded with at most 4096 weights a group, rows a multiple of 8 at column stride 1: the direct
  // forward kernel (assembly/conv-direct.ts), in tiles of 4 rows and the rest of each MR-row sliver
  // (MR = 5, or 6 with relaxed SIMD). Short tiles of channels, dilation, a row stride, groups and
  // depthwise; rows of 12 take the implicit GEMM, whose weight gradient packs transposed 4×4 blocks where
  // the rows have no padding.
  { name: 'direct: 11 outputs over three slivers', x: [2, 3, 10, 10], w: [11, 3, 3, 3], bias: true },
  { name: 'direct: LeNet conv2, batch 2', x: [2, 6, 12, 12], w: [16, 6, 5, 5], bias: true },
  { name: 'direct: 5 outputs, 27 taps, stride [2, 1], dilation [1, 2]', x: [2, 3, 13, 20], w: [5, 3, 3, 3], stride: [2, 1], dilation: [1, 2], bias: true },
  { name: 'direct: groups 2 of 3 outputs, batch 1', x: [1, 4, 10, 10], w: [6, 2, 3, 3], groups: 2, bias: true },
  { name: 'unpadded rows of 12, 4 outputs, stride [2, 1]', x: [2, 2, 11, 14], w: [4, 2, 2, 3], stride: [2, 1] },
  { name: 'direct: depthwise, 9 taps', x: [2, 4, 9, 10], w: [4, 1, 3, 3], groups: 4, bias: true },
];

const gen = (seed: number) => new Generator(seed);

function operands(c: Case, seed: number): { x: Tensor; w: Tensor; b: Tensor | null } {
  const b = c.bias ? randn([c.w[0]], { generator: gen(seed + 2) }) : null;
  return { x: randn(c.x, { generator: gen(seed) }), w: randn(c.w, { generator: gen(seed + 1) }), b };
}

const options = (c: Case) => ({ stride: c.stride ?? 1, padding: c.padding ?? 0, dilation: c.dilation ?? 1, groups: c.groups ?? 1 });

// The GEMM sums in float32 and the cpu kernel in float64; values are sums of up to ~150 products of
// standard normals (magnitude ~10), where float32 rounding is ~1e-6 relative to Σ|a·b|.
const RTOL = 1e-4;
const ATOL = 1e-4;

describe('convolution kernels in wasm match the cpu kernels', () => {
  CASES.forEach((c, i) => {
    it(`conv2d: ${c.name}`, () => {
      const { x, w, b } = operands(c, 10 * i);
      const r = onBoth(() => conv2d(x, w, b, options(c)));
      expectClose(r.wasm, r.cpu, RTOL, ATOL);
    });

    it(`input and weight gradients (convTranspose2d, conv2dBackwardWeight): ${c.name}`, () => {
      const { x, w, b } = operands(c, 10 * i + 5);
      const r = onBoth(() => {
        const [xg, wg] = [x.detach().requiresGrad_(), w.detach().requiresGrad_()];
        const y = conv2d(xg, wg, b, options(c));
        const gOut = randn(y.shape, { generator: gen(99) });
        return gradients(y.mul(gOut).sum(), [xg, wg]);
      });
      expectClose(r.wasm[0], r.cpu[0], RTOL, ATOL);
      expectClose(r.wasm[1], r.cpu[1], RTOL, ATOL);
    });
  });

  it('convTranspose2d with bias, stride 2, output padding and groups', () => {
    const x = randn([2, 4, 5, 6], { generator: gen(1) });
    const w = randn([4, 3, 3, 3], { generator: gen(2) });
    const b = randn([6], { generator: gen(3) });
    const r = onBoth(() => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }));
    expect(r.cpu.shape).toEqual([2, 6, 10, 12]);
    expectClose(r.wasm, r.cpu, RTOL, ATOL);
  });

  it('conv2dBackwardWeight called directly, batch 1 and batch 4', () => {
    for (const N of [1, 4]) {
      const x = randn([N, 3, 9, 8], { generator: gen(N) });
      const g = randn([N, 4, 4, 3], { generator: gen(N + 1) });
      const geometry: ConvGeometry = { stride: [2, 3], padding: [1, 1], dilation: [1, 1], groups: 1, outSize: [3, 3] };
      const r = onBoth(() => conv2dBackwardWeight(x, g, geometry));
      expect(r.cpu.shape).toEqual([4, 3, 3, 3]);
      expectClose(r.wasm, r.cpu, RTOL, ATOL);
    }
  });

  it('float64 operands run on cpu, bit for bit', () => {
    const x = randn([2, 3, 7, 7], { generator: gen(7), dtype: 'float64' });
    const w = randn([4, 3, 3, 3], { generator: gen(8), dtype: 'float64' });
    const r = onBoth(() => conv2d(x, w, null, { padding: 1 }));
    expect(r.wasm.dtype).toBe('float64');
    expect(Array.from(r.wasm.data)).toEqual(Array.from(r.cpu.data));
  });
});

describe('max pooling indices in wasm match the cpu kernel exactly', () => {
  const POOLS = [
    { x: [3, 6, 24, 24], kernelSize: 2 },
    { x: [1, 2, 9, 7], kernelSize: 3, stride: 2, padding: 1 },
    { x: [2, 3, 10, 11], kernelSize: [3, 2], stride: [1, 3], dilation: 2, padding: [1, 1] },
    { x: [2, 2, 7, 7], kernelSize: 3, stride: 2, ceilMode: true },
  ];
  POOLS.forEach(({ x: shape, ...opts }, i) => {
    it(`maxPool2d ${JSON.stringify(opts)} on [${shape.join(', ')}]`, () => {
      const x = randn(shape, { generator: gen(40 + i) });
      // Ties and NaN: the first maximum wins, a NaN is the maximum.
      x.data[0] = x.data[1];
      x.data[5] = Number.NaN;
      const r = onBoth(() => maxPool2dWithIndices(x, opts));
      expect(Array.from(r.wasm.indices.data)).toEqual(Array.from(r.cpu.indices.data));
      expect(r.wasm.indices.dtype).toBe('int32');
      expectClose(r.wasm.values, r.cpu.values, 0, 0);
    });
  });

  // Column strides 1 and 2 take four windows at a time where the window lies inside the row: each case
  // mixes those with scalar columns (padding at both ends, widths that leave a tail of 1–3 outputs).
  // Values from a few levels tie often; a NaN, two NaNs in one window and a window of −∞ check the order.
  const VECTOR_POOLS = [
    { x: [2, 3, 13, 19], kernelSize: 2 },
    { x: [2, 2, 11, 17], kernelSize: 3, stride: 1 },
    { x: [1, 3, 12, 23], kernelSize: 3, stride: 2, padding: 1 },
    { x: [2, 2, 14, 21], kernelSize: [2, 3], stride: [2, 1], dilation: [1, 2], padding: [0, 1] },
    { x: [1, 2, 9, 30], kernelSize: [1, 4], stride: [3, 2], dilation: [2, 1], padding: [0, 2] },
  ];
  VECTOR_POOLS.forEach(({ x: shape, ...opts }, i) => {
    it(`maxPool2d ${JSON.stringify(opts)} on [${shape.join(', ')}], four windows at a time`, () => {
      const W = shape[3];
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, j) => ((j * 7919 + i * 31) % 13) % 5 - 2);
      values[3] = Number.NaN;
      values[W + 2] = Number.NaN;
      values[W + 3] = Number.NaN;
      for (const j of [4 * W + 8, 4 * W + 9, 5 * W + 8, 5 * W + 9]) values[j] = -Infinity;
      const x = tensor(Float32Array.from(values), shape);
      const r = onBoth(() => maxPool2dWithIndices(x, opts));
      expect(Array.from(r.wasm.indices.dataSync())).toEqual(Array.from(r.cpu.indices.dataSync()));
      expectClose(r.wasm.values, r.cpu.values, 0, 0);
    });
  });
});
