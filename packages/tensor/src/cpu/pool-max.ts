import type { KernelAttrs, TensorData } from '../backend.js';
import { allocData } from '../dtype.js';
import { sizeOf } from '../shape.js';

interface MaxPoolAttrs {
  kernelSize: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  outSize: readonly number[];
  shape: readonly number[];
}

/** First in-image position of a dilated window starting at `start` (the padding holds −∞, never a maximum). */
function firstInside(start: number, d: number): number {
  return start >= 0 ? start : start + Math.ceil(-start / d) * d;
}

/**
 * The argmax of every max-pooling window as a flat index into its [H, W] plane, as PyTorch's CPU kernel:
 * a strictly greater value or a NaN replaces the current maximum, so ties keep the first position and a
 * window of −∞ points at its first element.
 */
export function maxPool2dIndicesKernel([x]: readonly TensorData[], rawAttrs: KernelAttrs): TensorData {
  const attrs = rawAttrs as unknown as MaxPoolAttrs;
  const [N, C, H, W] = x.shape;
  const [kH, kW] = attrs.kernelSize;
  const [sH, sW] = attrs.stride;
  const [pH, pW] = attrs.padding;
  const [dH, dW] = attrs.dilation;
  const [oH, oW] = attrs.outSize;
  const src = x.data;
  const out = new Int32Array(N * C * oH * oW);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const base = plane * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      const hEnd = Math.min(h0 + (kH - 1) * dH + 1, H);
      const hStart = firstInside(h0, dH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = ow * sW - pW;
        const wEnd = Math.min(w0 + (kW - 1) * dW + 1, W);
        const wStart = firstInside(w0, dW);
        let best = hStart * W + wStart;
        let max = -Infinity;
        for (let h = hStart; h < hEnd; h += dH) {
          for (let w = wStart; w < wEnd; w += dW) {
            const v = src[base + h * W + w];
            if (v > max || v !== v) {
              max = v;
              best = h * W + w;
            }
          }
        }
        out[o] = best;
      }
    }
  }
  return { data: out, shape: attrs.shape, dtype: 'int32' };
}

/** out[p, j] = x[p, indices[p, j]] for every plane p. */
export function gatherPlanesKernel([x, indices]: readonly TensorData[]): TensorData {
  const planeSize = sizeOf(x.shape.slice(-2));
  const perPlane = sizeOf(indices.shape.slice(-2));
  const idx = indices.data;
  const src = x.data;
  const out = allocData(x.dtype, idx.length);
  for (let j = 0, base = 0; j < idx.length; base += planeSize) {
    const end = j + perPlane;
    for (; j < end; j++) out[j] = src[base + idx[j]];
  }
  return { data: out, shape: indices.shape, dtype: x.dtype };
}

/** out[p, indices[p, j]] += src[p, j] into zeros of `attrs.shape`. */
export function scatterAddPlanesKernel([src, indices]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const shape = attrs.shape as number[];
  const planeSize = sizeOf(shape.slice(-2));
  const perPlane = sizeOf(indices.shape.slice(-2));
  const idx = indices.data;
  const values = src.data;
  const out = allocData(src.dtype, sizeOf(shape));
  for (let j = 0, base = 0; j < idx.length; base += planeSize) {
    const end = j + perPlane;
    for (; j < end; j++) out[base + idx[j]] += values[j];
  }
  return { data: out, shape, dtype: src.dtype };
}
