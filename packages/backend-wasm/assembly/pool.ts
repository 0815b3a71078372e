// The argmax of every max-pooling window, the one pooling kernel with a loop worth moving to wasm (the
// gather of the values and the scatter of the gradient through these indices stay on cpu).

/** First in-image position of a dilated window starting at `start` (padding is −∞, never a maximum). */
// @ts-ignore: decorator
@inline function firstInside(start: i32, d: i32): i32 {
  return start >= 0 ? start : start + ((-start + d - 1) / d) * d;
}

/**
 * out[plane, oh, ow] = flat index h·W + w of the maximum of each window in its [H, W] plane, for `planes`
 * planes, as @backprop/tensor's cpu kernel and PyTorch: a strictly greater value or a NaN replaces the
 * current maximum, so ties keep the first position and a window of −∞ points at its first element.
 */
export function maxPoolIndices(
  x: usize, planes: i32, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  pH: i32, pW: i32, dH: i32, dW: i32, oH: i32, oW: i32, out: usize,
): void {
  let o = out;
  for (let plane = 0; plane < planes; plane++) {
    const base = x + (<usize>(plane * H * W) << 2);
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      const hEnd = min(h0 + (kH - 1) * dH + 1, H);
      const hStart = firstInside(h0, dH);
      for (let ow = 0; ow < oW; ow++, o += 4) {
        const w0 = ow * sW - pW;
        const wEnd = min(w0 + (kW - 1) * dW + 1, W);
        const wStart = firstInside(w0, dW);
        let best = hStart * W + wStart;
        let m: f32 = -Infinity;
        for (let h = hStart; h < hEnd; h += dH) {
          const row = base + (<usize>(h * W) << 2);
          for (let w = wStart; w < wEnd; w += dW) {
            const v = load<f32>(row + (<usize>w << 2));
            if (v > m || v != v) {
              m = v;
              best = h * W + w;
            }
          }
        }
        store<i32>(o, best);
      }
    }
  }
}
