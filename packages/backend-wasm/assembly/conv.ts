// Patch copies for convolution as GEMM (im2col, Chellapilla et al. 2006) and the layout moves around it.
// The JavaScript side (src/kernels/conv.ts) lays the patches of all N images side by side, [K, N·L], so
// one GEMM per group covers the whole batch; copyRows then moves rows between [C, N, L] and [N, C, L].

/** First output index o ≥ 0 with o·s + off ≥ 0 (the first tap inside the image), at most n. */
// @ts-ignore: decorator
@inline function firstInside(off: i32, s: i32, n: i32): i32 {
  return off >= 0 ? 0 : min(n, (s - 1 - off) / s);
}

/** One past the last output index o < n with o·s + off < size (at least lo). */
// @ts-ignore: decorator
@inline function endInside(size: i32, off: i32, s: i32, n: i32, lo: i32): i32 {
  const last = size - 1 - off;
  return last < 0 ? lo : max(lo, min(n, last / s + 1));
}

/**
 * Visits every patch element of the image [C, H, W] at `image`: row r = (c·kH + p)·kW + q of the patch
 * matrix, column l = oh·oW + ow, stored at col + (r·ld + l)·4. `toImage` 0 copies image → col, writing zero
 * where the patch reads padding (im2col); 1 adds col into the image and skips padding (col2im, its adjoint).
 */
// @ts-ignore: decorator
@inline function walk(
  image: usize, C: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, col: usize, ld: i32, toImage: bool,
): void {
  let r = 0;
  for (let c = 0; c < C; c++) {
    const plane = image + (<usize>(c * H * W) << 2);
    for (let p = 0; p < kH; p++) {
      const offH = p * dH - pH;
      for (let q = 0; q < kW; q++, r++) {
        const offW = q * dW - pW;
        const lo = firstInside(offW, sW, oW);
        const hi = endInside(W, offW, sW, oW, lo);
        let dst = col + (<usize>(r * ld) << 2);
        for (let oh = 0; oh < oH; oh++, dst += <usize>oW << 2) {
          const ih = oh * sH + offH;
          const inside = ih >= 0 && ih < H;
          if (!toImage) {
            if (!inside) {
              memory.fill(dst, 0, <usize>oW << 2);
              continue;
            }
            memory.fill(dst, 0, <usize>lo << 2);
            memory.fill(dst + (<usize>hi << 2), 0, <usize>(oW - hi) << 2);
          } else if (!inside) continue;
          const rowBase = plane + (<usize>(ih * W) << 2);
          if (!toImage && sW == 1) {
            memory.copy(dst + (<usize>lo << 2), rowBase + (<usize>(lo + offW) << 2), <usize>(hi - lo) << 2);
            continue;
          }
          let ow = lo;
          if (toImage && sW == 1) {
            // Unit stride: the patch row adds onto adjacent pixels, four lanes at a time.
            for (; ow + 4 <= hi; ow += 4) {
              const px = rowBase + (<usize>(ow + offW) << 2);
              v128.store(px, f32x4.add(v128.load(px), v128.load(dst + (<usize>ow << 2))));
            }
          }
          for (; ow < hi; ow++) {
            const px = rowBase + (<usize>(ow * sW + offW) << 2);
            const cx = dst + (<usize>ow << 2);
            if (toImage) store<f32>(px, load<f32>(px) + load<f32>(cx));
            else store<f32>(cx, load<f32>(px));
          }
        }
      }
    }
  }
}

/** The patch matrix [C·kH·kW, oH·oW] of one image, rows `ld` floats apart. */
export function im2col(
  image: usize, C: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, col: usize, ld: i32,
): void {
  walk(image, C, H, W, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, col, ld, false);
}

/** Adds the patch matrix (rows `ld` floats apart) back into the image: the adjoint of im2col. */
export function col2im(
  image: usize, C: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, col: usize, ld: i32,
): void {
  if (pH == 0 && pW == 0 && sW == 1) col2imUnpadded(image, C, H, W, kH, kW, oH, oW, sH, dH, dW, col, ld);
  else walk(image, C, H, W, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, col, ld, true);
}

/**
 * col2im without padding at unit column stride: every patch element lands inside the image, so each
 * patch row adds its oH runs of oW values onto image rows without bounds, four lanes at a time.
 */
function col2imUnpadded(
  image: usize, C: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32, sH: i32, dH: i32, dW: i32, col: usize, ld: i32,
): void {
  const oW4 = oW & ~3;
  const rowStep = <usize>(sH * W) << 2;
  const runBytes = <usize>oW << 2;
  let src = col;
  const rowBytes = <usize>ld << 2;
  for (let c = 0; c < C; c++) {
    const plane = image + (<usize>(c * H * W) << 2);
    for (let p = 0; p < kH; p++) {
      for (let q = 0; q < kW; q++, src += rowBytes) {
        let dst = plane + (<usize>(p * dH * W + q * dW) << 2);
        let s = src;
        for (let oh = 0; oh < oH; oh++, dst += rowStep, s += runBytes) {
          let ow = 0;
          for (; ow < oW4; ow += 4) {
            const px = dst + (<usize>ow << 2);
            v128.store(px, f32x4.add(v128.load(px), v128.load(s + (<usize>ow << 2))));
          }
          for (; ow < oW; ow++) {
            const px = dst + (<usize>ow << 2);
            store<f32>(px, load<f32>(px) + load<f32>(s + (<usize>ow << 2)));
          }
        }
      }
    }
  }
}

/** For a < A, b < B: copies L floats from src + (a·sA + b·sB)·4 to dst + (a·dA + b·dB)·4 (strides in floats). */
export function copyRows(src: usize, sA: i32, sB: i32, dst: usize, dA: i32, dB: i32, A: i32, B: i32, L: i32): void {
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      memory.copy(dst + (<usize>(a * dA + b * dB) << 2), src + (<usize>(a * sA + b * sB) << 2), <usize>L << 2);
    }
  }
}

/** out[n, c, l] += bias[c] for an [N, C, L] block. */
export function addChannelBias(out: usize, bias: usize, N: i32, C: i32, L: i32): void {
  const l4 = L & ~3;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const b = load<f32>(bias + (<usize>c << 2));
      const bv = f32x4.splat(b);
      const row = out + (<usize>((n * C + c) * L) << 2);
      let l = 0;
      for (; l < l4; l += 4) {
        const p = row + (<usize>l << 2);
        v128.store(p, f32x4.add(v128.load(p), bv));
      }
      for (; l < L; l++) {
        const p = row + (<usize>l << 2);
        store<f32>(p, load<f32>(p) + b);
      }
    }
  }
}
