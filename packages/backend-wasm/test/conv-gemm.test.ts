import { describe, expect, it } from 'vitest';
import { instantiateKernels, type KernelModule } from '../src/wasm-module.js';

// The implicit GEMM (gemm with brs = -1: B packed straight from the image) against im2col + gemm on the same
// module. Both run the same blocked loop nest over the same packed values, so the products must agree bit
// for bit; a packing slip (a wrong tap, a missed zero of the padding, a panel started at the wrong row or
// column) shows as a mismatch. The patches of all N images side by side, as src/kernels/conv.ts lays them.

interface Geometry {
  name: string;
  /** N, C, H, W of the image batch, Cout and the kernel size. */
  N: number; C: number; H: number; W: number; M: number; kH: number; kW: number;
  stride?: [number, number]; padding?: [number, number]; dilation?: [number, number];
}

// Odd on purpose: output rows that are not multiples of the 8-column sliver (slivers straddle rows and
// images), taps in the padding on either side, strides and dilations that take the per-tap path,
// K = C·kH·kW above one 128-row k block, N·L above one 512-column panel, and a B transpose wider than one
// panel (K > 512, the weight gradient's columns).
const GEOMETRIES: Geometry[] = [
  { name: 'LeNet conv1 shape, batch 2', N: 2, C: 1, H: 28, W: 28, M: 6, kH: 5, kW: 5 },
  { name: 'padding 2, odd output rows, batch 3', N: 3, C: 2, H: 13, W: 11, M: 5, kH: 5, kW: 5, padding: [2, 2] },
  { name: 'stride 2, dilation 2, padding 1', N: 2, C: 3, H: 15, W: 14, M: 7, kH: 3, kW: 3, stride: [2, 2], dilation: [2, 2], padding: [1, 1] },
  { name: 'stride [2, 1], padding [0, 1]', N: 2, C: 4, H: 12, W: 20, M: 4, kH: 3, kW: 3, stride: [2, 1], padding: [0, 1] },
  { name: 'K = 150 > one k block, N·L = 768 > one panel', N: 3, C: 6, H: 20, W: 20, M: 9, kH: 5, kW: 5 },
  { name: 'K = 600 > one panel of the transpose, N·L = 180', N: 2, C: 24, H: 14, W: 13, M: 4, kH: 5, kW: 5 },
  { name: 'kernel wider than the image, padding [1, 3]', N: 2, C: 2, H: 4, W: 3, M: 5, kH: 3, kW: 6, padding: [1, 3] },
];

const PATCHES = 1;
const PATCHES_T = 2;
const PATCH_B = -1;

function setUp(k: KernelModule, g: Geometry) {
  const [sH, sW] = g.stride ?? [1, 1];
  const [pH, pW] = g.padding ?? [0, 0];
  const [dH, dW] = g.dilation ?? [1, 1];
  const oH = Math.floor((g.H + 2 * pH - dH * (g.kH - 1) - 1) / sH) + 1;
  const oW = Math.floor((g.W + 2 * pW - dW * (g.kW - 1) - 1) / sW) + 1;
  const L = oH * oW;
  const NL = g.N * L;
  const K = g.C * g.kH * g.kW;
  const e = k.exports;
  const scratch = (e.heapBase() + 15) & ~15;
  let top = scratch + ((e.gemmScratchBytes() + 15) & ~15);
  const alloc = (count: number) => {
    const ptr = top;
    top += (count * 4 + 15) & ~15;
    const need = top - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    return ptr;
  };
  const image = alloc(g.N * g.C * g.H * g.W);
  const a = alloc(g.M * Math.max(K, NL));
  const col = alloc(K * NL);
  const ref = alloc(g.M * Math.max(K, NL));
  const out = alloc(g.M * Math.max(K, NL));
  const geo = alloc(16);
  let seed = 7;
  const f32 = new Float32Array(k.memory.buffer);
  for (let i = image / 4; i < (a + g.M * Math.max(K, NL) * 4) / 4; i++) f32[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  for (let n = 0; n < g.N; n++) {
    e.im2col(image + n * g.C * g.H * g.W * 4, g.C, g.H, g.W, g.kH, g.kW, oH, oW, sH, sW, pH, pW, dH, dW, col + n * L * 4, NL);
  }
  const geometry = (mode: number) => {
    new Int32Array(k.memory.buffer, geo, 16).set([mode, image, g.C * g.H * g.W, g.C, g.H, g.W, g.kH, g.kW, oH, oW, sH, sW, pH, pW, dH, dW]);
    return geo;
  };
  const read = (ptr: number, count: number) => new Float32Array(k.memory.buffer, ptr, count).slice();
  return { e, K, NL, a, col, ref, out, scratch, geometry, read };
}

describe('gemm packs a patch matrix from the image (brs = -1) as im2col + gemm multiply it', () => {
  let module: KernelModule;
  const load = async () => (module ??= await instantiateKernels(false, false));

  for (const g of GEOMETRIES) {
    it(`forward (B = patches): ${g.name}`, async () => {
      const s = setUp(await load(), g);
      s.e.gemm(s.a, s.K, 1, s.col, s.NL, 1, s.ref, g.M, s.NL, s.K, s.scratch);
      s.e.gemm(s.a, s.K, 1, s.geometry(PATCHES), PATCH_B, 0, s.out, g.M, s.NL, s.K, s.scratch);
      const [want, got] = [s.read(s.ref, g.M * s.NL), s.read(s.out, g.M * s.NL)];
      expect(want.some((v) => v !== 0)).toBe(true);
      expect(got).toEqual(want);
    });

    it(`weight gradient (B = patchesᵀ): ${g.name}`, async () => {
      const s = setUp(await load(), g);
      s.e.gemm(s.a, s.NL, 1, s.col, 1, s.NL, s.ref, g.M, s.K, s.NL, s.scratch);
      s.e.gemm(s.a, s.NL, 1, s.geometry(PATCHES_T), PATCH_B, 0, s.out, g.M, s.K, s.NL, s.scratch);
      const [want, got] = [s.read(s.ref, g.M * s.K), s.read(s.out, g.M * s.K)];
      expect(want.some((v) => v !== 0)).toBe(true);
      expect(got).toEqual(want);
    });
  }
});
