// Max pooling: the argmax of every window, and the backward scatter of the gradient through it. The
// gather of the values through the indices stays on cpu: one load per value, it ran no faster in wasm
// once its operands were copied in and out (bench/elementwise.mjs).

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

/**
 * out[p, idx[p, j]] += src[p, j] into zeroed planes of `planeSize` floats, `perPlane` values per plane:
 * max pooling's backward pass. In the cpu kernel's order with float32 adds, so results are identical.
 */
export function scatterAddPlanes(src: usize, idx: usize, planes: i32, perPlane: i32, planeSize: i32, out: usize): void {
  const planeBytes = <usize>planeSize << 2;
  memory.fill(out, 0, <usize>planes * planeBytes);
  for (let p = 0; p < planes; p++, out += planeBytes) {
    for (let j = 0; j < perPlane; j++, src += 4, idx += 4) {
      const o = out + (<usize>load<i32>(idx) << 2);
      store<f32>(o, load<f32>(o) + load<f32>(src));
    }
  }
}

