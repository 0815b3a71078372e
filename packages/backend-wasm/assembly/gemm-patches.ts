// Implicit-GEMM convolution: the GEMM's B panel packed straight from the image, so the patch matrix of
// im2col (conv.ts) is never written out and read back. The virtual patch matrix of one group is
// P[r, l] = x[n, c, oh·sH + p·dH − pH, ow·sW + q·dW − pW] (0 in the padding), row r = (c·kH + p)·kW + q,
// column l = n·L + oh·oW + ow over all N images; the forward pass multiplies by P, the weight gradient by
// Pᵀ. Both packers write the layout packB does (NR-column slivers, k-major, zero-padded).
import { NR } from './gemm-pack';

/**
 * Slots (int32) of the geometry block a convolution passes to `gemm` as its B (with brs = PATCH_B, see
 * gemm.ts): which matrix B is (PATCHES or PATCHES_T), the byte offset of the group's first channel in
 * image 0, floats between images, the group's channels (not needed here: the panel's rows say which
 * channel), the image, kernel and output sizes, stride, padding and dilation.
 */
const GEO_MODE = 0;
const GEO_IMAGE = 1;
const GEO_IMAGE_STRIDE = 2;
const GEO_C = 3;
const GEO_H = 4;
const GEO_W = 5;
const GEO_KH = 6;
const GEO_KW = 7;
const GEO_OH = 8;
const GEO_OW = 9;
const GEO_SH = 10;
const GEO_SW = 11;
const GEO_PH = 12;
const GEO_PW = 13;
const GEO_DH = 14;
const GEO_DW = 15;

/** B is the patch matrix P [C·kH·kW, N·oH·oW] (a convolution's forward pass). */
export const PATCHES = 1;
/** B is Pᵀ [N·oH·oW, C·kH·kW] (a convolution's weight gradient). */
export const PATCHES_T = 2;

/**
 * Bytes of scratch the packers need for panels of up to `kc` rows: one sliver's column offsets (three
 * int32 per column), then the byte offset of each row's tap (one int32 per row).
 */
export function patchScratchBytes(kc: i32): i32 {
  return (3 * NR + kc) * 4;
}

// @ts-ignore: decorator
@inline function geo(g: usize, slot: i32): i32 {
  return load<i32>(g + (<usize>slot << 2));
}

/** Packs rows [k0, k0+kc) × columns [j0, j0+nc) of the B that `g` describes, as packB does. */
export function packPatchPanel(g: usize, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize, cols: usize): void {
  const image = <usize>geo(g, GEO_IMAGE);
  const imageStride = geo(g, GEO_IMAGE_STRIDE);
  const H = geo(g, GEO_H), W = geo(g, GEO_W), kH = geo(g, GEO_KH), kW = geo(g, GEO_KW);
  const oH = geo(g, GEO_OH), oW = geo(g, GEO_OW), sH = geo(g, GEO_SH), sW = geo(g, GEO_SW);
  const pH = geo(g, GEO_PH), pW = geo(g, GEO_PW), dH = geo(g, GEO_DH), dW = geo(g, GEO_DW);
  if (geo(g, GEO_MODE) == PATCHES) {
    packPatches(image, imageStride, H, W, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, k0, j0, kc, nc, dst, cols);
  } else {
    if (pH == 0 && pW == 0 && sW == 1) packPatchesTUnpadded(image, imageStride, H, W, kH, kW, oH, oW, sH, dH, dW, k0, j0, kc, nc, dst);
    else packPatchesT(image, imageStride, H, W, kH, kW, oH, oW, sH, sW, pH, pW, dH, dW, k0, j0, kc, nc, dst);
  }
}

/**
 * B = P: for each sliver of NR output positions, row k of the sliver is NR taps of patch row k. Where the
 * sliver lies in one output row, the stride is 1 and the taps are inside the image, those are two vector
 * loads; elsewhere each tap is computed from the sliver's column offsets (kept at `cols`).
 */
function packPatches(
  image: usize, imageStride: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize, cols: usize,
): void {
  const L = oH * oW;
  const plane = H * W;
  const colImage = cols, colH = cols + (<usize>NR << 2), colW = cols + (<usize>NR << 3);
  // The output position (image, row, column) of the sliver's first column, advanced NR columns a sliver.
  let n0 = j0 / L;
  let oh0 = (j0 - n0 * L) / oW;
  let ow0 = j0 - n0 * L - oh0 * oW;
  // Patch row k0 as (c, p, q), which each sliver advances one row at a time.
  const c0 = k0 / (kH * kW);
  const p0 = (k0 - c0 * kH * kW) / kW;
  const q0 = k0 - c0 * kH * kW - p0 * kW;
  // Without padding, at unit column stride, every tap of a sliver in one output row is inside the image:
  // such slivers copy row k from the sliver's first pixel + taps[k], the row's offset in the image.
  const taps = cols + (<usize>(3 * NR) << 2);
  const unpadded = pH == 0 && pW == 0 && sW == 1;
  if (unpadded) {
    let c = c0, p = p0, q = q0;
    for (let k = 0; k < kc; k++) {
      store<i32>(taps + (<usize>k << 2), (c * plane + p * dH * W + q * dW) << 2);
      if (++q == kW) {
        q = 0;
        if (++p == kH) {
          p = 0;
          c++;
        }
      }
    }
  }
  for (let js = 0; js < nc; js += NR) {
    const sliver = dst + (<usize>(js * kc) << 2);
    const count = min(NR, nc - js);
    // One output row, unit stride: the sliver's taps are NR adjacent floats of one image row.
    const rowRun = count == NR && sW == 1 && ow0 + NR <= oW;
    // The per-tap path needs each column's offsets: worked out once per sliver, where it is first taken.
    let decoded = false;
    let c = c0, p = p0, q = q0;
    const first = image + (<usize>(n0 * imageStride + oh0 * sH * W + ow0) << 2);
    for (let k = 0; k < kc; k++) {
      if (unpadded && rowRun) {
        const src = first + <usize>load<i32>(taps + (<usize>k << 2));
        const d = sliver + (<usize>k << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        continue;
      }
      const d = sliver + (<usize>k << 5);
      const offH = p * dH - pH;
      const offW = q * dW - pW;
      const planeBase = image + (<usize>(c * plane) << 2);
      const ih = oh0 * sH + offH;
      const iw = ow0 + offW;
      if (rowRun && <u32>ih < <u32>H && iw >= 0 && iw + NR <= W) {
        const src = planeBase + (<usize>(n0 * imageStride + ih * W + iw) << 2);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        if (!decoded) {
          decoded = true;
          let n = n0, oh = oh0, ow = ow0;
          for (let j = 0; j < count; j++) {
            store<i32>(colImage + (<usize>j << 2), n * imageStride);
            store<i32>(colH + (<usize>j << 2), oh * sH);
            store<i32>(colW + (<usize>j << 2), ow * sW);
            if (++ow == oW) {
              ow = 0;
              if (++oh == oH) {
                oh = 0;
                n++;
              }
            }
          }
        }
        for (let j = 0; j < NR; j++) {
          let v: f32 = 0;
          if (j < count) {
            const h = load<i32>(colH + (<usize>j << 2)) + offH;
            const w = load<i32>(colW + (<usize>j << 2)) + offW;
            if (<u32>h < <u32>H && <u32>w < <u32>W) {
              v = load<f32>(planeBase + (<usize>(load<i32>(colImage + (<usize>j << 2)) + h * W + w) << 2));
            }
          }
          store<f32>(d + (<usize>j << 2), v);
        }
      }
      if (++q == kW) {
        q = 0;
        if (++p == kH) {
          p = 0;
          c++;
        }
      }
    }
    ow0 += NR;
    while (ow0 >= oW) {
      ow0 -= oW;
      if (++oh0 == oH) {
        oh0 = 0;
        n0++;
      }
    }
  }
}

/**
 * B = Pᵀ: column j of a sliver is patch row r = j0 + js + j, read along output positions l in runs of one
 * output row each (zeros where the row or the tap falls in the padding), written NR floats apart.
 */
function packPatchesT(
  image: usize, imageStride: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, sW: i32, pH: i32, pW: i32, dH: i32, dW: i32, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize,
): void {
  const L = oH * oW;
  const plane = H * W;
  const row = <usize>NR << 2;
  const n0 = k0 / L;
  const oh0 = (k0 - n0 * L) / oW;
  const ow0 = k0 - n0 * L - oh0 * oW;
  for (let js = 0; js < nc; js += NR) {
    const sliver = dst + (<usize>(js * kc) << 2);
    const count = min(NR, nc - js);
    for (let j = 0; j < NR; j++) {
      let d = sliver + (<usize>j << 2);
      if (j >= count) {
        for (let k = 0; k < kc; k++, d += row) store<f32>(d, 0);
        continue;
      }
      const r = j0 + js + j;
      const c = r / (kH * kW);
      const p = (r - c * kH * kW) / kW;
      const q = r - c * kH * kW - p * kW;
      const offH = p * dH - pH;
      const offW = q * dW - pW;
      // Output positions whose tap column is inside the image: ow in [lo, hi).
      const lo = offW >= 0 ? 0 : min(oW, (sW - 1 - offW) / sW);
      const last = W - 1 - offW;
      const hi = last < 0 ? lo : max(lo, min(oW, last / sW + 1));
      const planeBase = image + (<usize>(c * plane) << 2);
      let n = n0, oh = oh0, ow = ow0;
      for (let left = kc; left > 0;) {
        const run = min(oW - ow, left);
        const end = ow + run;
        const ih = oh * sH + offH;
        if (<u32>ih >= <u32>H) {
          for (let t = 0; t < run; t++, d += row) store<f32>(d, 0);
        } else {
          const src = planeBase + (<usize>(n * imageStride + ih * W + offW) << 2);
          const a = min(max(ow, lo), end), b = max(min(hi, end), a);
          let o = ow;
          for (; o < a; o++, d += row) store<f32>(d, 0);
          const step = <usize>sW << 2;
          let s = src + (<usize>(o * sW) << 2);
          // Unit stride: four adjacent pixels a load, one lane into each of four rows of the sliver.
          if (sW == 1) {
            for (; o + 4 <= b; o += 4, d += row << 2, s += 16) {
              const v = v128.load(s);
              v128.store32_lane(d, v, 0);
              v128.store32_lane(d, v, 1, NR * 4);
              v128.store32_lane(d, v, 2, NR * 8);
              v128.store32_lane(d, v, 3, NR * 12);
            }
          }
          for (; o < b; o++, d += row, s += step) store<f32>(d, load<f32>(s));
          for (; o < end; o++, d += row) store<f32>(d, 0);
        }
        left -= run;
        ow = 0;
        if (++oh == oH) {
          oh = 0;
          n++;
        }
      }
    }
  }
}

/** The byte offset of patch row r's tap from an output's first pixel (0 for r ≥ end, a column of zeros). */
// @ts-ignore: decorator
@inline function tapBytes(r: i32, end: i32, H: i32, W: i32, kH: i32, kW: i32, dH: i32, dW: i32): usize {
  if (r >= end) return 0;
  const c = r / (kH * kW);
  const p = (r - c * kH * kW) / kW;
  const q = r - c * kH * kW - p * kW;
  return <usize>(((c * H + p * dH) * W + q * dW) << 2);
}

/** Four taps' vectors (or zeros for taps past `count`) transposed into four rows of a sliver's half. */
// @ts-ignore: decorator
@inline function storeTransposed(d: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
  const t0 = v128.shuffle<i32>(v0, v1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(v2, v3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(v0, v1, 2, 6, 3, 7);
  const t3 = v128.shuffle<i32>(v2, v3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<i64>(t0, t1, 0, 2));
  v128.store(d, v128.shuffle<i64>(t0, t1, 1, 3), NR * 4);
  v128.store(d, v128.shuffle<i64>(t2, t3, 0, 2), NR * 8);
  v128.store(d, v128.shuffle<i64>(t2, t3, 1, 3), NR * 12);
}

/**
 * packPatchesT without padding at unit column stride, where every tap is inside the image: along each
 * run of one output row, four adjacent outputs of each of four taps are one vector load, and a 4×4
 * transpose in registers turns them into four rows of the sliver (two vector stores a row instead of
 * eight lane stores).
 */
function packPatchesTUnpadded(
  image: usize, imageStride: i32, H: i32, W: i32, kH: i32, kW: i32, oH: i32, oW: i32,
  sH: i32, dH: i32, dW: i32, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize,
): void {
  const L = oH * oW;
  const row = <usize>NR << 2;
  const zero = f32x4.splat(0);
  const n0 = k0 / L;
  const oh0 = (k0 - n0 * L) / oW;
  const ow0 = k0 - n0 * L - oh0 * oW;
  const cols = j0 + nc;
  for (let js = 0; js < nc; js += NR) {
    const r = j0 + js;
    const count = min(NR, nc - js);
    const o0 = tapBytes(r, cols, H, W, kH, kW, dH, dW), o1 = tapBytes(r + 1, cols, H, W, kH, kW, dH, dW);
    const o2 = tapBytes(r + 2, cols, H, W, kH, kW, dH, dW), o3 = tapBytes(r + 3, cols, H, W, kH, kW, dH, dW);
    const o4 = tapBytes(r + 4, cols, H, W, kH, kW, dH, dW), o5 = tapBytes(r + 5, cols, H, W, kH, kW, dH, dW);
    const o6 = tapBytes(r + 6, cols, H, W, kH, kW, dH, dW), o7 = tapBytes(r + 7, cols, H, W, kH, kW, dH, dW);
    let d = dst + (<usize>(js * kc) << 2);
    let n = n0, oh = oh0, ow = ow0;
    for (let left = kc; left > 0;) {
      const run = min(oW - ow, left);
      const end = ow + run;
      let s = image + (<usize>(n * imageStride + oh * sH * W + ow) << 2);
      let o = ow;
      for (; o + 4 <= end; o += 4, d += row << 2, s += 16) {
        storeTransposed(
          d, v128.load(s + o0), count > 1 ? v128.load(s + o1) : zero,
          count > 2 ? v128.load(s + o2) : zero, count > 3 ? v128.load(s + o3) : zero,
        );
        if (count > 4) {
          storeTransposed(
            d + 16, v128.load(s + o4), count > 5 ? v128.load(s + o5) : zero,
            count > 6 ? v128.load(s + o6) : zero, count > 7 ? v128.load(s + o7) : zero,
          );
        } else {
          v128.store(d, zero, 16);
          v128.store(d, zero, NR * 4 + 16);
          v128.store(d, zero, NR * 8 + 16);
          v128.store(d, zero, NR * 12 + 16);
        }
      }
      for (; o < end; o++, d += row, s += 4) {
        store<f32>(d, load<f32>(s + o0));
        store<f32>(d, count > 1 ? load<f32>(s + o1) : 0, 4);
        store<f32>(d, count > 2 ? load<f32>(s + o2) : 0, 8);
        store<f32>(d, count > 3 ? load<f32>(s + o3) : 0, 12);
        store<f32>(d, count > 4 ? load<f32>(s + o4) : 0, 16);
        store<f32>(d, count > 5 ? load<f32>(s + o5) : 0, 20);
        store<f32>(d, count > 6 ? load<f32>(s + o6) : 0, 24);
        store<f32>(d, count > 7 ? load<f32>(s + o7) : 0, 28);
      }
      left -= run;
      ow = 0;
      if (++oh == oH) {
        oh = 0;
        n++;
      }
    }
  }
}
