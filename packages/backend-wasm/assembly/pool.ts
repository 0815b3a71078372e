// Max pooling: the argmax of every window (with its maximum, which max pooling's value pick returns
// instead of gathering again: src/kernels/pool-max.ts), and the backward scatter of the gradient through it.

/** First in-image position of a dilated window starting at `start` (padding is −∞, never a maximum). */
// @ts-ignore: decorator
@inline function firstInside(start: i32, d: i32): i32 {
  return start >= 0 ? start : start + ((-start + d - 1) / d) * d;
}

/** Four candidates of a window tap for four adjacent outputs at column stride 1 or 2, from `p` on. */
// @ts-ignore: decorator
@inline function fourTaps(p: usize, sW: i32): v128 {
  if (sW == 1) return v128.load(p);
  // Floats 0, 2 of the first load and 1, 3 of the second (floats 3..6): 0, 2, 4, 6, reading no further.
  return i8x16.shuffle(v128.load(p), v128.load(p, 12), 0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23, 28, 29, 30, 31);
}

/**
 * out[plane, oh, ow] = flat index h·W + w of the maximum of each window in its [H, W] plane, for `planes`
 * planes, as @backprop/tensor's cpu kernel and PyTorch: a strictly greater value or a NaN replaces the
 * current maximum, so ties keep the first position and a window of −∞ points at its first element.
 * At column stride 1 or 2, windows that lie inside the row are taken four outputs at a time: each tap
 * is one vector of candidates, compared and selected lane by lane in the same order (branch-free, so
 * random data costs no mispredicted branches); the others, and every other stride, run the scalar loop.
 * The maxima go to `values` (same layout, float32), bit for bit x at each index: the value pick for free.
 */
export function maxPoolIndices(
  x: usize, planes: i32, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  pH: i32, pW: i32, dH: i32, dW: i32, oH: i32, oW: i32, out: usize, values: usize,
): void {
  let val = values;
  // Outputs [vLo, vHi) have their whole window inside the row (w0 ≥ 0, last tap < W).
  const span = (kW - 1) * dW + 1;
  let vLo = 0, vHi = 0;
  if (sW == 1 || sW == 2) {
    vLo = min(oW, (pW + sW - 1) / sW);
    vHi = max(vLo, min(oW, span > W + pW ? 0 : (W + pW - span) / sW + 1));
    vHi = vLo + ((vHi - vLo) & ~3);
  }
  let lanes = i32x4.replace_lane(i32x4.splat(0), 1, sW);
  lanes = i32x4.replace_lane(i32x4.replace_lane(lanes, 2, 2 * sW), 3, 3 * sW);
  let o = out;
  for (let plane = 0; plane < planes; plane++) {
    const base = x + (<usize>(plane * H * W) << 2);
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      const hEnd = min(h0 + (kH - 1) * dH + 1, H);
      const hStart = firstInside(h0, dH);
      for (let ow = 0; ow < oW; ow++, o += 4, val += 4) {
        if (ow == vLo && vLo < vHi) {
          for (; ow < vHi; ow += 4, o += 16, val += 16) {
            const w0 = ow * sW - pW;
            let first = true;
            let m = f32x4.splat(-Infinity);
            let best = i32x4.add(i32x4.splat(hStart * W + w0), lanes);
            for (let h = hStart; h < hEnd; h += dH) {
              for (let q = 0; q < kW; q++) {
                const w = w0 + q * dW;
                const v = fourTaps(base + (<usize>(h * W + w) << 2), sW);
                const at = i32x4.add(i32x4.splat(h * W + w), lanes);
                if (first) {
                  // The scalar loop's −∞ start: the first tap replaces it (or equals it, at its own index).
                  first = false;
                  m = v;
                  best = at;
                  continue;
                }
                const take = v128.or(f32x4.gt(v, m), f32x4.ne(v, v));
                m = v128.bitselect(v, m, take);
                best = v128.bitselect(at, best, take);
              }
            }
            v128.store(o, best);
            v128.store(val, m);
          }
          if (ow >= oW) break;
        }
        const w0 = ow * sW - pW;
        const wEnd = min(w0 + (kW - 1) * dW + 1, W);
        const wStart = firstInside(w0, dW);
        let best = hStart * W + wStart;
        let m: f32 = -Infinity;
        for (let h = hStart; h < hEnd; h += dH) {
          const row = base + (<usize>(h * W) << 2);
          for (let w = wStart; w < wEnd; w += dW) {
            const v = load<f32>(row + (<usize>w << 2));
            const take = v > m || v != v;
            m = select<f32>(v, m, take);
            best = select<i32>(h * W + w, best, take);
          }
        }
        store<i32>(o, best);
        store<f32>(val, m);
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

