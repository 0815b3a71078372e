import { sizeOf, type Kernel, type KernelAttrs, type TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';
import type { KernelExports } from '../wasm-module.js';
import type { GemmRunner } from './matmul.js';
import type { ArgmaxValues } from './pool-max.js';

/** The attributes `convolution2d` and `conv2dBackwardWeight` pass (see @backprop/tensor's ops/conv-primitives.ts). */
interface ConvAttrs {
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  groups: number;
  outSize: readonly number[];
  shape: readonly number[];
  dtype: string;
}

/** The attributes of `maxPool2dIndices` (ops/pool-max.ts). */
interface MaxPoolAttrs {
  kernelSize: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  outSize: readonly number[];
  shape: readonly number[];
}

const F32 = 4;

type Ptr = number;

/** The direct convolution kernel of assembly/conv-direct.ts (see there). */
export interface ConvDirectExports {
  convTapOffsets(taps: Ptr, C: number, H: number, W: number, kH: number, kW: number, dH: number, dW: number): void;
  packConvWeights(w: Ptr, M: number, K: number, dst: Ptr): void;
  convForwardDirect(
    x: Ptr, imageStride: number, W: number, oH: number, oW: number, sH: number, taps: Ptr, K: number,
    a: Ptr, M: number, bias: Ptr, out: Ptr, outImageStride: number, N: number,
  ): void;
}

/** The most weights (floats) a group may have for the direct forward kernel: 16 KiB, read from L1. */
const DIRECT_MAX_WEIGHTS = 4096;

/** Products from this many multiply-adds are split across threads (src/threads/gemm-pool.ts). */
const MIN_PARALLEL_MACS = 1 << 20;

/**
 * Wraps a float32 body: other dtypes, empty tensors and calls the memory cannot grow for run the cpu
 * kernel of the same name instead, so the wasm kernel accepts exactly what the cpu one does.
 */
function guarded(name: string, arena: Arena, body: (inputs: readonly TensorData[], attrs: KernelAttrs) => TensorData): Kernel {
  return (inputs, attrs) => {
    const float32 = (attrs.dtype === undefined || attrs.dtype === 'float32') && inputs.every(isFloat32);
    const empty = inputs.some((t) => elementsOf(t) === 0) || sizeOf(attrs.shape as number[]) === 0;
    if (!float32 || empty) return runOnCpu(name, inputs, attrs);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => body(inputs, attrs));
  };
}

/** stride, padding and dilation as the six trailing arguments of the module's im2col/col2im. */
type Six = [number, number, number, number, number, number];
const geometry = (a: ConvAttrs): Six => [a.stride[0], a.stride[1], a.padding[0], a.padding[1], a.dilation[0], a.dilation[1]];

/** Which matrix the GEMM packs from the image (assembly/gemm-patches.ts: PATCHES, PATCHES_T). */
const PATCHES = 1;
const PATCHES_T = 2;
/** The `brs` that tells the GEMM its B is a patch matrix, `b` its geometry block (assembly/gemm.ts PATCH_B). */
const PATCH_B = -1;

/**
 * Whether a group's product runs as an implicit GEMM (B packed straight from the image) rather than
 * im2col + GEMM: with at least 4 rows (fewer take the GEMM's unpacked small-M path, which reads B in place:
 * depthwise convolutions, say).
 */
const implicitGemm = (M: number): boolean => M >= 4;

const unpadded = (a: ConvAttrs): boolean => a.padding[0] === 0 && a.padding[1] === 0;

/**
 * The int32 geometry block the GEMM reads for a patch matrix (GEO_* slots of assembly/gemm-patches.ts), in
 * the arena: which matrix, the group's first channel of image 0, floats between images, then C, H, W, kH,
 * kW, oH, oW of one group and the six strides, paddings and dilations.
 */
function patchGeometry(arena: Arena, mode: number, image: number, imageStride: number, sizes: readonly number[], attrs: ConvAttrs): number {
  const geo = arena.alloc(16);
  new Int32Array(arena.f32().buffer, geo, 16).set([mode, image, imageStride, ...sizes, ...geometry(attrs)]);
  return geo;
}

/**
 * The convolution kernels of the `wasm` backend, as im2col + the SIMD GEMM, or as an implicit GEMM that
 * packs the patches from the image without writing them out (see `implicitGemm`). Unlike
 * the cpu kernels (one GEMM per image), the patches of all N images are laid side by side, [Cg·kH·kW, N·L],
 * so each group is one GEMM over the whole batch (one packing of the weights, long rows for the
 * microkernel), and the weight gradient's sum over images is the GEMM's own sum. Rows then move between
 * [C, N, L] and [N, C, L] with `copyRows` (skipped for a batch of one, where the two layouts coincide).
 */
export function makeConvKernels(
  gemm: GemmRunner, wasm: KernelExports, arena: Arena, threads = 1, argmaxValues: ArgmaxValues | null = null,
): Record<string, Kernel> {
  const put = (t: TensorData): number => arena.input(t);
  const MR = wasm.gemmTileRows();
  /**
   * Whether a forward convolution runs the direct kernel (assembly/conv-direct.ts), which packs nothing
   * from the image: unpadded at column stride 1 with rows a multiple of 8, where a group's weights (M·K
   * floats) fit in 16 KiB, so every block of 8 outputs reads them from L1 (LeNet-5's convolutions, 150
   * and 2,400 floats: 2.0× and 1.25× faster than the implicit GEMM; at 18,432 and 73,728 floats the
   * implicit GEMM was 15–25% faster), and on one thread or below the size the pool splits (it runs on
   * the calling thread alone).
   */
  const direct = (a: ConvAttrs, M: number, K: number, oW: number, macs: number): boolean =>
    unpadded(a) && a.stride[1] === 1 && oW % 8 === 0 && M * K <= DIRECT_MAX_WEIGHTS &&
    (threads === 1 || macs < MIN_PARALLEL_MACS);
  /** The tap offsets of one group's patch rows (convTapOffsets), in the arena. */
  const tapOffsets = (Cg: number, H: number, W: number, kH: number, kW: number, attrs: ConvAttrs): number => {
    const taps = arena.alloc(Cg * kH * kW);
    wasm.convTapOffsets(taps, Cg, H, W, kH, kW, attrs.dilation[0], attrs.dilation[1]);
    return taps;
  };

  /** y = conv(x, w) + b: per group, W_g [CoutG, K] · patches [K, N·L]. */
  const conv2d = guarded('conv2d', arena, (inputs, raw) => {
    const attrs = raw as unknown as ConvAttrs;
    const [x, w, b] = inputs;
    const [N, C, H, W] = x.shape;
    const [Cout, Cg, kH, kW] = w.shape;
    const [oH, oW] = attrs.outSize;
    const { groups } = attrs;
    const CoutG = Cout / groups;
    const L = oH * oW;
    const NL = N * L;
    const K = Cg * kH * kW;
    const xPtr = put(x);
    const wPtr = put(w);
    const bPtr = b ? put(b) : 0;
    const out = arena.output(N * Cout * L);
    if (direct(attrs, CoutG, K, oW, CoutG * NL * K)) {
      // Tiles of up to 4 channels × 8 outputs of one row, the bias added in the tile.
      const taps = tapOffsets(Cg, H, W, kH, kW, attrs);
      const packed = arena.alloc(Math.ceil(CoutG / MR) * MR * K);
      for (let g = 0; g < groups; g++) {
        wasm.packConvWeights(wPtr + g * CoutG * K * F32, CoutG, K, packed);
        wasm.convForwardDirect(
          xPtr + g * Cg * H * W * F32, C * H * W, W, oH, oW, attrs.stride[0], taps, K,
          packed, CoutG, b ? bPtr + g * CoutG * F32 : 0, out + g * CoutG * L * F32, Cout * L, N,
        );
      }
      return arena.result(out, N * Cout * L, attrs.shape);
    }
    const implicit = implicitGemm(CoutG);
    const col = implicit ? 0 : arena.alloc(K * NL);
    const tmp = N === 1 ? 0 : arena.alloc(CoutG * NL);
    for (let g = 0; g < groups; g++) {
      const dst = out + g * CoutG * L * F32;
      const wG = wPtr + g * CoutG * K * F32;
      if (implicit) {
        const geo = patchGeometry(arena, PATCHES, xPtr + g * Cg * H * W * F32, C * H * W, [Cg, H, W, kH, kW, oH, oW], attrs);
        gemm(wG, K, 1, geo, PATCH_B, 0, N === 1 ? dst : tmp, CoutG, NL, K);
      } else {
        for (let n = 0; n < N; n++) {
          wasm.im2col(xPtr + (n * C + g * Cg) * H * W * F32, Cg, H, W, kH, kW, oH, oW, ...geometry(attrs), col + n * L * F32, NL);
        }
        gemm(wG, K, 1, col, NL, 1, N === 1 ? dst : tmp, CoutG, NL, K);
      }
      if (N !== 1) wasm.copyRows(tmp, NL, L, dst, L, Cout * L, CoutG, N, L);
    }
    if (b) wasm.addChannelBias(out, bPtr, N, Cout, L);
    return arena.result(out, N * Cout * L, attrs.shape);
  });

  /** The transposed convolution (a convolution's input gradient): W_gᵀ [CoutG·kH·kW, CinG] · x [CinG, N·L], then col2im. */
  const convTranspose2d = guarded('convTranspose2d', arena, (inputs, raw) => {
    const attrs = raw as unknown as ConvAttrs;
    const [x, w, b] = inputs;
    const [N, Cin, H, W] = x.shape;
    const [, CoutG, kH, kW] = w.shape;
    const [oH, oW] = attrs.outSize;
    const { groups } = attrs;
    const Cout = CoutG * groups;
    const CinG = Cin / groups;
    const L = H * W;
    const NL = N * L;
    const M = CoutG * kH * kW;
    const xPtr = put(x);
    const wPtr = put(w);
    const bPtr = b ? put(b) : 0;
    const outCount = N * Cout * oH * oW;
    const out = arena.output(outCount);
    arena.f32().fill(0, out / F32, out / F32 + outCount);
    const col = arena.alloc(M * NL);
    const xT = N === 1 ? 0 : arena.alloc(CinG * NL);
    for (let g = 0; g < groups; g++) {
      const xG = xPtr + g * CinG * L * F32;
      if (N !== 1) wasm.copyRows(xG, L, Cin * L, xT, NL, L, CinG, N, L);
      // The weight block of group g is [CinG, M]: read transposed in place (row stride 1, column stride M).
      gemm(wPtr + g * CinG * M * F32, 1, M, N === 1 ? xG : xT, NL, 1, col, M, NL, CinG);
      for (let n = 0; n < N; n++) {
        const image = out + (n * Cout + g * CoutG) * oH * oW * F32;
        wasm.col2im(image, CoutG, oH, oW, kH, kW, H, W, ...geometry(attrs), col + n * L * F32, NL);
      }
    }
    if (b) wasm.addChannelBias(out, bPtr, N, Cout, oH * oW);
    return arena.result(out, outCount, attrs.shape);
  });

  /** dL/dw: per group, gradOut [CoutG, N·L] · patchesᵀ [N·L, K], summing over the batch inside the GEMM. */
  const conv2dBackwardWeight = guarded('conv2dBackwardWeight', arena, (inputs, raw) => {
    const attrs = raw as unknown as ConvAttrs;
    const [x, gOut] = inputs;
    const [N, C, H, W] = x.shape;
    const [, Cout, gH, gW] = gOut.shape;
    const [kH, kW] = attrs.outSize;
    const { groups } = attrs;
    const Cg = C / groups;
    const CoutG = Cout / groups;
    const L = gH * gW;
    const NL = N * L;
    const K = Cg * kH * kW;
    const xPtr = put(x);
    const gPtr = put(gOut);
    const out = arena.output(Cout * K);
    const implicit = implicitGemm(CoutG);
    const col = implicit ? 0 : arena.alloc(K * NL);
    const gT = N === 1 ? 0 : arena.alloc(CoutG * NL);
    for (let g = 0; g < groups; g++) {
      const gG = gPtr + g * CoutG * L * F32;
      if (N !== 1) wasm.copyRows(gG, L, Cout * L, gT, NL, L, CoutG, N, L);
      const dst = out + g * CoutG * K * F32;
      if (implicit) {
        const geo = patchGeometry(arena, PATCHES_T, xPtr + g * Cg * H * W * F32, C * H * W, [Cg, H, W, kH, kW, gH, gW], attrs);
        gemm(N === 1 ? gG : gT, NL, 1, geo, PATCH_B, 0, dst, CoutG, K, NL);
        continue;
      }
      for (let n = 0; n < N; n++) {
        wasm.im2col(xPtr + (n * C + g * Cg) * H * W * F32, Cg, H, W, kH, kW, gH, gW, ...geometry(attrs), col + n * L * F32, NL);
      }
      // The patches [K, N·L] read transposed in place: row stride 1, column stride N·L.
      gemm(N === 1 ? gG : gT, NL, 1, col, 1, NL, dst, CoutG, K, NL);
    }
    return arena.result(out, Cout * K, attrs.shape);
  });

  /** The argmax of each max-pooling window (int32 flat indices into its plane); its maxima kept in `argmaxValues`. */
  const maxPool2dIndices = guarded('maxPool2dIndices', arena, (inputs, raw) => {
    const attrs = raw as unknown as MaxPoolAttrs;
    const [x] = inputs;
    const [N, C, H, W] = x.shape;
    const [oH, oW] = attrs.outSize;
    const count = N * C * oH * oW;
    const xPtr = put(x);
    const out = arena.alloc(count);
    const values = arena.alloc(count);
    wasm.maxPoolIndices(
      xPtr, N * C, H, W, attrs.kernelSize[0], attrs.kernelSize[1], attrs.stride[0], attrs.stride[1],
      attrs.padding[0], attrs.padding[1], attrs.dilation[0], attrs.dilation[1], oH, oW, out, values,
    );
    const indices = arena.takeInt32(out, count);
    argmaxValues?.remember(x, indices, arena.take(values, count));
    return { data: indices, shape: attrs.shape, dtype: 'int32' };
  });

  return { conv2d, convTranspose2d, conv2dBackwardWeight, maxPool2dIndices };
}
