import type { TypedArray } from '../dtype.js';

/**
 * Where the patches of a convolution lie: an image [C, H, W], a kernel kH×kW, and the grid of oH×oW
 * output positions. For each kernel row p (column q), `rowLo[p]..rowHi[p]` (`colLo[q]..colHi[q]`) are the
 * output rows (columns) whose input row (column) falls inside the image; outside it reads zero padding.
 * Precomputing these ranges keeps bounds checks out of the copy loops.
 */
export interface PatchPlan {
  C: number; H: number; W: number;
  kH: number; kW: number;
  oH: number; oW: number;
  sH: number; sW: number;
  pH: number; pW: number;
  dH: number; dW: number;
  rowLo: Int32Array; rowHi: Int32Array;
  colLo: Int32Array; colHi: Int32Array;
  /** Whether some patch element reads padding (otherwise im2col writes every element and need not zero first). */
  readsPadding: boolean;
}

export interface PatchGeometry {
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
}

/** Output indices o in [0, n) with 0 ≤ o·s + off < size, as a half-open range. */
function validRange(size: number, n: number, s: number, off: number, lo: Int32Array, hi: Int32Array, k: number): void {
  const first = Math.max(0, Math.ceil(-off / s));
  const last = Math.min(n, Math.floor((size - 1 - off) / s) + 1);
  lo[k] = Math.min(first, n);
  hi[k] = Math.max(last, lo[k]);
}

export function patchPlan(
  C: number, H: number, W: number, kH: number, kW: number, oH: number, oW: number, g: PatchGeometry,
): PatchPlan {
  const [sH, sW] = g.stride;
  const [pH, pW] = g.padding;
  const [dH, dW] = g.dilation;
  const rowLo = new Int32Array(kH);
  const rowHi = new Int32Array(kH);
  const colLo = new Int32Array(kW);
  const colHi = new Int32Array(kW);
  for (let p = 0; p < kH; p++) validRange(H, oH, sH, p * dH - pH, rowLo, rowHi, p);
  for (let q = 0; q < kW; q++) validRange(W, oW, sW, q * dW - pW, colLo, colHi, q);
  const inside = (lo: Int32Array, hi: Int32Array, n: number): boolean => lo.every((v, i) => v === 0 && hi[i] === n);
  const readsPadding = !inside(rowLo, rowHi, oH) || !inside(colLo, colHi, oW);
  return { C, H, W, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, rowLo, rowHi, colLo, colHi, readsPadding };
}

/** True when the patch matrix is the image itself (1×1 kernel, stride 1, no padding): no copy needed. */
export function isIdentityPlan(plan: PatchPlan): boolean {
  return plan.kH === 1 && plan.kW === 1 && plan.sH === 1 && plan.sW === 1 && plan.pH === 0 && plan.pW === 0 &&
    plan.oH === plan.H && plan.oW === plan.W;
}

/**
 * Visits every in-image element of every patch once. Element (r, l) of the patch matrix, for
 * r = (c·kH + p)·kW + q and output position l = oh·oW + ow, lives at `col[r·rowStride + l·colStride]`;
 * `toImage` adds it into the image (col2im), otherwise it is copied from the image (im2col). The
 * direction is chosen per row of outputs, outside the innermost loop.
 */
function walkPatches(
  image: TypedArray, imageOff: number, plan: PatchPlan, col: TypedArray, rowStride: number, colStride: number, toImage: boolean,
): void {
  const { C, H, W, kH, kW, oW, sH, sW, pH, pW, dH, dW, rowLo, rowHi, colLo, colHi } = plan;
  let r = 0;
  for (let c = 0; c < C; c++) {
    const plane = imageOff + c * H * W;
    for (let p = 0; p < kH; p++) {
      const offH = p * dH - pH;
      const ohEnd = rowHi[p];
      for (let q = 0; q < kW; q++, r++) {
        const offW = q * dW - pW;
        const owStart = colLo[q];
        const count = colHi[q] - owStart;
        for (let oh = rowLo[p]; oh < ohEnd; oh++) {
          let i = plane + (oh * sH + offH) * W + owStart * sW + offW;
          let k = r * rowStride + (oh * oW + owStart) * colStride;
          if (toImage) {
            for (let n = 0; n < count; n++, i += sW, k += colStride) image[i] += col[k];
          } else {
            for (let n = 0; n < count; n++, i += sW, k += colStride) col[k] = image[i];
          }
        }
      }
    }
  }
}

/**
 * Writes the patch matrix of the image at `src[srcOff…]` into `col`, zero where a patch reads padding.
 * With strides (L, 1) that is the [C·kH·kW, L] matrix of the forward pass; with (1, C·kH·kW) its
 * transpose, which the weight gradient multiplies by.
 */
export function im2col(src: TypedArray, srcOff: number, plan: PatchPlan, col: TypedArray, rowStride: number, colStride: number): void {
  if (plan.readsPadding) col.fill(0, 0, plan.C * plan.kH * plan.kW * plan.oH * plan.oW);
  walkPatches(src, srcOff, plan, col, rowStride, colStride, false);
}

/** Adds the [C·kH·kW, L] patch matrix `col` back into the image at `dst[dstOff…]` (the adjoint of im2col). */
export function col2im(col: TypedArray, plan: PatchPlan, dst: TypedArray, dstOff: number): void {
  walkPatches(dst, dstOff, plan, col, plan.oH * plan.oW, 1, true);
}
