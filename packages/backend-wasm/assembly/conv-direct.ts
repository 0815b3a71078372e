// Direct convolution kernels: the GEMM's register tile (gemm-kernel.ts) fed straight from the image, with
// nothing packed from it. They cover unpadded convolutions (every tap of every output lies inside the
// image, so no tap needs a zero):
//
// - the forward pass at unit column stride with output rows a multiple of 8 long: a tile is MR output
//   channels × 8 adjacent outputs of one row; tap k of the 8 outputs is two vector loads at the row's
//   first pixel + taps[k] (the patch matrix's row k there), against the weights packed as the GEMM's A;
// - the weight gradient at unit column stride with output rows a multiple of 4 long: a tile is MR output
//   channels × 2 taps of dw, each four lanes of partial sums over the output positions: four adjacent
//   outputs are one vector of the output gradient per channel and one of pixels per tap (the first
//   pixels + the tap's offset), so nothing is broadcast or packed.
//
// The implicit GEMM (gemm-patches.ts) instead packs every panel of the patch matrix, about one cycle a
// value: for LeNet-5's small channel counts that cost more than the multiply-adds (its weight gradients'
// packing took 12% of a training step). Sums run over the whole reduction in registers, as the GEMM's
// within one k block.
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
          const ap = a + (<usize>(m * K) << 2);
          const c = dst + (<usize>(m * L) << 2);
          const b: usize = bias == 0 ? 0 : bias + (<usize>m << 2);
          const mr = min(MR, M - m);
          if (mr > 4) forwardTile(MR, K, ap, first, taps, b, c, L, mr);
          else if (mr > 2) forwardTile(4, K, ap, first, taps, b, c, L, mr);
          else if (mr > 1) forwardTile(2, K, ap, first, taps, b, c, L, mr);
          else forwardTile(1, K, ap, first, taps, b, c, L, mr);
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

/** One tile of `rows` (a literal at each call, as gemm-kernel.ts's tile) output channels × 8 outputs. */
// @ts-ignore: decorator
@inline function forwardTile(
  rows: i32, K: i32, ap: usize, first: usize, taps: usize, bias: usize, c: usize, ldc: i32, mr: i32,
): void {
  let c00 = biasOf(bias, 0, mr), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  if (rows > 1) c10 = c11 = biasOf(bias, 1, mr);
  if (rows > 2) {
    c20 = c21 = biasOf(bias, 2, mr);
    c30 = c31 = biasOf(bias, 3, mr);
  }
  if (rows > 4) c40 = c41 = biasOf(bias, 4, mr);
  if (rows > 5) c50 = c51 = biasOf(bias, 5, mr);
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
    if (rows > 4) {
      av = v128.load32_splat(ap, 16);
      c40 = madd(av, b0, c40);
      c41 = madd(av, b1, c41);
    }
    if (rows > 5) {
      av = v128.load32_splat(ap, 20);
      c50 = madd(av, b0, c50);
      c51 = madd(av, b1, c51);
    }
    ap += MR << 2;
  }
  const ld = <usize>ldc << 2;
  let row = c;
  storeRow(row, c00, c01);
  if (mr > 1) storeRow(row += ld, c10, c11);
  if (mr > 2) storeRow(row += ld, c20, c21);
  if (mr > 3) storeRow(row += ld, c30, c31);
  if (mr > 4) storeRow(row += ld, c40, c41);
  if (mr > 5) storeRow(row += ld, c50, c51);
}

// @ts-ignore: decorator
@inline function storeRow(row: usize, lo: v128, hi: v128): void {
  v128.store(row, lo);
  v128.store(row, hi, 16);
}

/**
 * dw[m, r] = Σ_{n, oh, ow} g[n, m, oh, ow] · x[n, first pixel of (oh, ow) + taps[r]] for m < M output
 * channels and r < K taps, dw row-major [M, K]. `x` is the group's first channel of image 0, images
 * `imageStride` floats apart; `g` the group's first channel of the output gradient of image 0, images
 * `gImageStride` floats apart, planes of oH·oW. Needs column stride 1, no padding and oW a multiple of 4:
 * four adjacent outputs of a row are one vector of g and, for each tap, one vector of x.
 */
export function convWeightGradDirect(
  x: usize, imageStride: i32, W: i32, oH: i32, oW: i32, sH: i32, taps: usize, K: i32,
  g: usize, gImageStride: i32, M: i32, N: i32, dw: usize,
): void {
  const L = oH * oW;
  for (let m = 0; m < M; m += MR) {
    const mr = min(MR, M - m);
    const gm = g + (<usize>(m * L) << 2);
    for (let r = 0; r < K; r += 2) {
      const t = taps + (<usize>r << 2);
      const c = dw + (<usize>(m * K + r) << 2);
      if (r + 1 < K) {
        if (mr > 4) gradTile(MR, 2, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
        else if (mr > 2) gradTile(4, 2, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
        else if (mr > 1) gradTile(2, 2, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
        else gradTile(1, 2, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
      } else if (mr > 4) gradTile(MR, 1, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
      else if (mr > 2) gradTile(4, 1, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
      else if (mr > 1) gradTile(2, 1, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
      else gradTile(1, 1, x, imageStride, W, oH, oW, sH, t, gm, gImageStride, L, N, c, K, mr);
    }
  }
}

/** The sum of the four lanes. */
// @ts-ignore: decorator
@inline function lanesSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * One tile of `rows` output channels × `cols` taps (literals at each call; rows ≤ MR, cols ≤ 2, so the
 * accumulators, the taps' two vectors and one of g fit V8's 15 vector registers as gemm-kernel.ts's tile
 * does), four lanes of partial sums each, summed at the end. Rows past `mr` read channel 0 and are dropped.
 */
// @ts-ignore: decorator
@inline function gradTile(
  rows: i32, cols: i32, x: usize, imageStride: i32, W: i32, oH: i32, oW: i32, sH: i32, taps: usize,
  g: usize, gImageStride: i32, L: i32, N: i32, c: usize, ldc: i32, mr: i32,
): void {
  const o0 = <usize>load<i32>(taps);
  const o1 = cols > 1 ? <usize>load<i32>(taps, 4) : o0;
  const plane = <usize>L << 2;
  const g1: usize = mr > 1 ? plane : 0;
  const g2: usize = mr > 2 ? plane * 2 : 0;
  const g3: usize = mr > 3 ? plane * 3 : 0;
  const g4: usize = mr > 4 ? plane * 4 : 0;
  const g5: usize = mr > 5 ? plane * 5 : 0;
  const zero = f32x4.splat(0);
  let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
  let c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
  const rowBytes = <usize>oW << 2;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < oH; oh++) {
      let px = x + (<usize>(n * imageStride + oh * sH * W) << 2);
      let pg = g + (<usize>(n * gImageStride + oh * oW) << 2);
      const end = pg + rowBytes;
      for (; pg < end; pg += 16, px += 16) {
        const x0 = v128.load(px + o0);
        const x1 = cols > 1 ? v128.load(px + o1) : zero;
        let gv = v128.load(pg);
        c00 = madd(gv, x0, c00);
        if (cols > 1) c01 = madd(gv, x1, c01);
        if (rows > 1) {
          gv = v128.load(pg + g1);
          c10 = madd(gv, x0, c10);
          if (cols > 1) c11 = madd(gv, x1, c11);
        }
        if (rows > 2) {
          gv = v128.load(pg + g2);
          c20 = madd(gv, x0, c20);
          if (cols > 1) c21 = madd(gv, x1, c21);
          gv = v128.load(pg + g3);
          c30 = madd(gv, x0, c30);
          if (cols > 1) c31 = madd(gv, x1, c31);
        }
        if (rows > 4) {
          gv = v128.load(pg + g4);
          c40 = madd(gv, x0, c40);
          if (cols > 1) c41 = madd(gv, x1, c41);
        }
        if (rows > 5) {
          gv = v128.load(pg + g5);
          c50 = madd(gv, x0, c50);
          if (cols > 1) c51 = madd(gv, x1, c51);
        }
      }
    }
  }
  const ld = <usize>ldc << 2;
  store<f32>(c, lanesSum(c00));
  if (cols > 1) store<f32>(c, lanesSum(c01), 4);
  if (mr > 1) {
    store<f32>(c + ld, lanesSum(c10));
    if (cols > 1) store<f32>(c + ld, lanesSum(c11), 4);
  }
  if (mr > 2) {
    store<f32>(c + 2 * ld, lanesSum(c20));
    if (cols > 1) store<f32>(c + 2 * ld, lanesSum(c21), 4);
  }
  if (mr > 3) {
    store<f32>(c + 3 * ld, lanesSum(c30));
    if (cols > 1) store<f32>(c + 3 * ld, lanesSum(c31), 4);
  }
  if (mr > 4) {
    store<f32>(c + 4 * ld, lanesSum(c40));
    if (cols > 1) store<f32>(c + 4 * ld, lanesSum(c41), 4);
  }
  if (mr > 5) {
    store<f32>(c + 5 * ld, lanesSum(c50));
    if (cols > 1) store<f32>(c + 5 * ld, lanesSum(c51), 4);
  }
}

/** Packs the weights [M, K] (row-major) as the GEMM's A for convForwardDirect: MR-row slivers, k-major. */
export function packConvWeights(w: usize, M: i32, K: i32, dst: usize): void {
  packA(w, K, 1, 0, 0, M, K, dst);
}
