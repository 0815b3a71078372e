import type { KernelAttrs, TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { col2im, im2col, isIdentityPlan, patchPlan, type PatchGeometry } from './conv-im2col.js';
import { gemm } from './matmul.js';
import { scratch } from './conv-scratch.js';

/** The attributes `convolution2d` and `conv2dBackwardWeight` pass to their kernels. */
export interface ConvKernelAttrs extends PatchGeometry {
  groups: number;
  outSize: readonly number[];
  shape: readonly number[];
  dtype: DType;
}

const attrsOf = (attrs: KernelAttrs): ConvKernelAttrs => attrs as unknown as ConvKernelAttrs;

/** Starts an [N, C, L] output at its bias (the GEMMs then accumulate onto it). */
function fillBias(out: TypedArray, bias: TypedArray, N: number, C: number, L: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) out.fill(bias[c], (n * C + c) * L, (n * C + c + 1) * L);
  }
}

/**
 * Convolution: per image and group, the patch matrix [Cg·kH·kW, L] (im2col) multiplied by the weight
 * rows [Cout/groups, Cg·kH·kW] in one GEMM that writes straight into the output's channels.
 */
export function conv2dKernel(inputs: readonly TensorData[], rawAttrs: KernelAttrs): TensorData {
  const [x, w, b] = inputs;
  const attrs = attrsOf(rawAttrs);
  const { groups, dtype } = attrs;
  const [N, C, H, W] = x.shape;
  const [Cout, Cg, kH, kW] = w.shape;
  const [oH, oW] = attrs.outSize;
  const CoutG = Cout / groups;
  const L = oH * oW;
  const K = Cg * kH * kW;
  const out = allocData(dtype, N * Cout * L);
  if (b) fillBias(out, b.data, N, Cout, L);
  const plan = patchPlan(Cg, H, W, kH, kW, oH, oW, attrs);
  const direct = isIdentityPlan(plan);
  const col = direct ? x.data : scratch('col', dtype, K * L);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * C + g * Cg) * H * W;
      if (!direct) im2col(x.data, xOff, plan, col, L, 1);
      gemm(w.data, g * CoutG * K, col, direct ? xOff : 0, out, (n * Cout + g * CoutG) * L, CoutG, L, K);
    }
  }
  return { data: out, shape: attrs.shape, dtype };
}

/** Each group's [rows, cols] block of `w` transposed to [cols, rows], blocks kept in group order. */
function transposeGroups(w: TypedArray, groups: number, rows: number, cols: number, dst: TypedArray): void {
  for (let g = 0; g < groups; g++) {
    const base = g * rows * cols;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) dst[base + c * rows + r] = w[base + r * cols + c];
    }
  }
}

/**
 * Transposed convolution (the input gradient of a convolution): per image and group, the weight's
 * transpose [Cout/groups·kH·kW, Cin/groups] times the input [Cin/groups, H·W] gives every patch's
 * contribution, which col2im adds into the output image.
 */
export function convTranspose2dKernel(inputs: readonly TensorData[], rawAttrs: KernelAttrs): TensorData {
  const [x, w, b] = inputs;
  const attrs = attrsOf(rawAttrs);
  const { groups, dtype } = attrs;
  const [N, Cin, H, W] = x.shape;
  const [, CoutG, kH, kW] = w.shape;
  const [oH, oW] = attrs.outSize;
  const Cout = CoutG * groups;
  const CinG = Cin / groups;
  const L = H * W;
  const M = CoutG * kH * kW;
  const out = allocData(dtype, N * Cout * oH * oW);
  if (b) fillBias(out, b.data, N, Cout, oH * oW);
  // The output image is what a forward convolution would read; the input is its grid of positions.
  const plan = patchPlan(CoutG, oH, oW, kH, kW, H, W, attrs);
  const direct = isIdentityPlan(plan);
  const wT = scratch('weightT', dtype, groups * M * CinG);
  transposeGroups(w.data, groups, CinG, M, wT);
  const col = direct ? out : scratch('col', dtype, M * L);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (n * Cin + g * CinG) * L;
      const outOff = (n * Cout + g * CoutG) * oH * oW;
      if (direct) {
        gemm(wT, g * M * CinG, x.data, xOff, out, outOff, M, L, CinG);
        continue;
      }
      col.fill(0, 0, M * L);
      gemm(wT, g * M * CinG, x.data, xOff, col, 0, M, L, CinG);
      col2im(col, plan, out, outOff);
    }
  }
  return { data: out, shape: attrs.shape, dtype };
}

/**
 * Weight gradient of a convolution: per image and group, gradOut [Cout/groups, L] times the transposed
 * patch matrix [L, Cg·kH·kW], accumulated over the batch by the GEMM itself (it adds into C).
 */
export function conv2dBackwardWeightKernel(inputs: readonly TensorData[], rawAttrs: KernelAttrs): TensorData {
  const [x, gOut] = inputs;
  const attrs = attrsOf(rawAttrs);
  const { groups, dtype } = attrs;
  const [N, C, H, W] = x.shape;
  const [, Cout, gH, gW] = gOut.shape;
  const [kH, kW] = attrs.outSize;
  const Cg = C / groups;
  const CoutG = Cout / groups;
  const L = gH * gW;
  const K = Cg * kH * kW;
  const out = allocData(dtype, Cout * K);
  const plan = patchPlan(Cg, H, W, kH, kW, gH, gW, attrs);
  const colT = scratch('col', dtype, L * K);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      im2col(x.data, (n * C + g * Cg) * H * W, plan, colT, 1, K);
      gemm(gOut.data, (n * Cout + g * CoutG) * L, colT, 0, out, g * CoutG * K, CoutG, K, L);
    }
  }
  return { data: out, shape: attrs.shape, dtype };
}
