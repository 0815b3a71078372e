import type { KernelAttrs, TensorData } from '../backend.js';

interface AdaptiveMaxAttrs {
  rows: { start: Int32Array; end: Int32Array };
  cols: { start: Int32Array; end: Int32Array };
  shape: readonly number[];
}

/**
 * The argmax of every adaptive max-pooling window as a flat index into its [H, W] plane. As PyTorch's CPU
 * kernel, a strictly greater value or a NaN replaces the current maximum: ties keep the first position.
 */
export function adaptiveMaxPool2dIndicesKernel([x]: readonly TensorData[], rawAttrs: KernelAttrs): TensorData {
  const { rows, cols, shape } = rawAttrs as unknown as AdaptiveMaxAttrs;
  const [N, C, H, W] = x.shape;
  const oH = rows.start.length;
  const oW = cols.start.length;
  const src = x.data;
  const out = new Int32Array(N * C * oH * oW);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const base = plane * H * W;
    for (let i = 0; i < oH; i++) {
      for (let j = 0; j < oW; j++, o++) {
        let best = rows.start[i] * W + cols.start[j];
        let max = -Infinity;
        for (let h = rows.start[i]; h < rows.end[i]; h++) {
          for (let w = cols.start[j]; w < cols.end[j]; w++) {
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
  return { data: out, shape, dtype: 'int32' };
}
