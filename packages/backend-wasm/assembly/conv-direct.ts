// Direct convolution: a register tile like the GEMM's (gemm-kernel.ts) fed straight from the image, with
// nothing packed from it, for unpadded convolutions (every tap of every output lies inside the image, so
// no tap needs a zero) at unit column stride with output rows a multiple of 8 long. A tile is up to 4
// output channels × 8 adjacent outputs of one row; tap k of the 8 outputs is two vector loads at the
// row's first pixel + taps[k] (the patch matrix's row k there), against the weights packed as the GEMM's
// A (MR-row slivers, each taken as a tile of 4 rows and one of the rest). Tiles stop at 4 rows because
// V8 schedules a tile's broadcasts ahead of its multiply-adds: six rows' 12 accumulators plus 6
// broadcasts spilled every step, four rows' 8 plus 4 fit its 15 vector registers (LeNet-5's first
// convolution 149 → 103 µs). The implicit GEMM (gemm-patches.ts) instead packs each panel of patches
// once for all tiles of output channels; with small weights (read from L1 for every 8 outputs) reading
// the image directly wins: LeNet-5's convolutions 2.0× and 1.25× faster. Sums run over the whole
// reduction in registers, as the GEMM's within one k block.
import { MR, packA } from './gemm-pack';

/** c + a·b lane by lane: fused in the relaxed-SIMD builds, as gemm-kernel.ts. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * taps[r] = byte offset of patch row r = (c·kH + p)·kW + q from an output's first pixel, in an image of
 * [C, H, W] planes: ((c·H + p·dH)·W + q·dW)·4.
 */
export function convTapOffsets(taps: usize, C: i32, H: i32, W: i32, kH: i32, kW: i32, dH: i32, dW: i32): void {
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < kH; p++) {
      for (let q = 0; q < kW; q++, taps += 4) store<i32>(taps, ((c * H + p * dH) * W + q * dW) << 2);
    }
  }
}

/**
 * out[n, m, oh, ow] = bias[m] + Σ_k A[m, k] · x[n, first pixel of (oh, ow) + taps[k]] for m < M, where
 * `a` is A (the weights [M, K]) packed by packA into MR-row slivers (k-major, zero rows past M). `x` is
 * the group's first channel of image 0, images `imageStride` floats apart; `out` the group's first output
 * channel of image 0, images `outImageStride` floats apart; `bias` 0 for none. Needs column stride 1, no
 * padding and oW a multiple of 8.
 */
export function convForwardDirect(
  x: usize, imageStride: i32, W: i32, oH: i32, oW: i32, sH: i32, taps: usize, K: i32,
  a: usize, M: i32, bias: usize, out: usize, outImageStride: i32, N: i32,
): void {
  const L = oH * oW;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < oH; oh++) {
      const row = x + (<usize>(n * imageStride + oh * sH * W) << 2);
      for (let ow = 0; ow < oW; ow += 8) {
        const first = row + (<usize>ow << 2);
        const dst = out + (<usize>(n * outImageStride + oh * oW + ow) << 2);
        for (let m = 0; m < M; m += MR) {
          const c = dst + (<usize>(m * L) << 2);
          const b: usize = bias == 0 ? 0 : bias + (<usize>m << 2);
          const ap = a + (<usize>(m * K) << 2);
          const mr = min(MR, M - m);
          // At most four rows a tile: V8 schedules a tile's broadcasts together, and six rows' twelve
          // accumulators with six broadcasts spill; four rows' eight with four fit its 15 registers.
          if (mr > 2) forwardTile(4, K, ap, first, taps, b, c, L, min(4, mr));
          else if (mr > 1) forwardTile(2, K, ap, first, taps, b, c, L, mr);
          else forwardTile(1, K, ap, first, taps, b, c, L, mr);
          if (mr > 4) {
            const rest = mr - 4;
            const ap4 = ap + 16, c4 = c + (<usize>(4 * L) << 2), b4: usize = b == 0 ? 0 : b + 16;
            if (rest > 1) forwardTile(2, K, ap4, first, taps, b4, c4, L, rest);
            else forwardTile(1, K, ap4, first, taps, b4, c4, L, rest);
          }
        }
      }
    }
  }
}

/** The bias of row i (a splat), or zeros without bias or past the tile's rows. */
// @ts-ignore: decorator
@inline function biasOf(bias: usize, i: i32, mr: i32): v128 {
  return bias == 0 || i >= mr ? f32x4.splat(0) : v128.load32_splat(bias + (<usize>i << 2));
}

/**
 * One tile of `rows` (4, 2 or 1: a literal at each call, as gemm-kernel.ts's tile) output channels × 8
 * outputs, rows `ap` onwards of an MR-row sliver of A.
 */
// @ts-ignore: decorator
@inline function forwardTile(
  rows: i32, K: i32, ap: usize, first: usize, taps: usize, bias: usize, c: usize, ldc: i32, mr: i32,
): void {
  let c00 = biasOf(bias, 0, mr), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (rows > 1) c10 = c11 = biasOf(bias, 1, mr);
  if (rows > 2) {
    c20 = c21 = biasOf(bias, 2, mr);
    c30 = c31 = biasOf(bias, 3, mr);
  }
  const end = taps + (<usize>K << 2);
  for (let t = taps; t < end; t += 4) {
    const src = first + <usize>load<i32>(t);
    const b0 = v128.load(src);
    const b1 = v128.load(src, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    if (rows > 1) {
      av = v128.load32_splat(ap, 4);
      c10 = madd(av, b0, c10);
      c11 = madd(av, b1, c11);
    }
    if (rows > 2) {
      av = v128.load32_splat(ap, 8);
      c20 = madd(av, b0, c20);
      c21 = madd(av, b1, c21);
      av = v128.load32_splat(ap, 12);
      c30 = madd(av, b0, c30);
      c31 = madd(av, b1, c31);
    }
    ap += MR << 2;
  }
  const ld = <usize>ldc << 2;
  let row = c;
  storeRow(row, c00, c01);
  if (mr > 1) storeRow(row += ld, c10, c11);
  if (mr > 2) storeRow(row += ld, c20, c21);
  if (mr > 3) storeRow(row += ld, c30, c31);
}

// @ts-ignore: decorator
@inline function storeRow(row: usize, lo: v128, hi: v128): void {
  v128.store(row, lo);
  v128.store(row, hi, 16);
}

/** Packs the weights [M, K] (row-major) as the GEMM's A for convForwardDirect: MR-row slivers, k-major. */
export function packConvWeights(w: usize, M: i32, K: i32, dst: usize): void {
  packA(w, K, 1, 0, 0, M, K, dst);
}
