// The register-blocked microkernel of the GotoBLAS/BLIS design: an MR×NR tile of C (NR = 8, MR = 5 in the
// plain build and 6 in the relaxed-SIMD one) lives in 2·MR v128 accumulators for the whole k loop, so each
// step loads two vectors of packed B, broadcasts MR scalars of packed A (v128.load32_splat, as XNNPACK's
// f32 "splat" wasmsimd kernels do) and does 2·MR vector multiply-adds. V8 allocates 15 XMM registers on
// x64 (xmm15 is its scratch): the plain build's 10 accumulators + two B vectors + the broadcast + the
// product of mul + add take 14, the fused build's 12 accumulators + 3 take 15 (it has no product to keep);
// a 6-row plain kernel would need 16 and spill every step. The tile is as tall as that allows because on
// V8 the loop is bound by issuing instructions rather than by the arithmetic ports: each broadcast with an
// offset costs an extra lea (V8 11 does not fold the offset of a load-splat), and the index zero-extension,
// the loop counter and its stack check are paid once a step whatever the tile, so more rows spread them
// over more multiply-adds. Measured with bench/gemm-ceiling.mjs (2-vCPU AMD EPYC, Node 20, ceiling ~71
// GFLOPS for both builds): 4×8 → 5×8 took the plain build from 73% to 84% of the ceiling at n = 1024 and
// 4×8 → 6×8 the fused one from 86% to 93%. Unrolling the k loop does not pay: binaryen then interleaves the
// steps (it merges each accumulator's updates into one expression) and V8 spills. The relaxed-SIMD build
// runs where the runtime has it (Chrome ≥ 114, Node ≥ 22; Node 20 behind --experimental-wasm-relaxed-simd).
import { MR, NR } from './gemm-pack';

/**
 * c + a·b lane by lane: one fused multiply-add in the relaxed-SIMD builds (kernels-fma*.wasm), a multiply
 * and an add otherwise. The branch is on a compile-time constant, so each build holds only its own.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C[tile] (+)= Σ_k ap[k*MR + i] · bp[k*NR + j] for an mr×nr tile (mr ≤ MR, nr ≤ NR) of row-major C with
 * leading dimension ldc (in elements): added to C when `accumulate`, else stored over it, which spares
 * the caller zeroing C and the kernel reading it on the first k block (memory.fill of C cost ~1% at
 * n = 1024). Packed panels are zero-padded, so only the store needs mr/nr;
 * partial tiles at the right and bottom edges of C go through `edgeTile` (MR·NR floats, 16-byte aligned),
 * which belongs to the caller's scratch so that threads sharing one memory never share it. A short last
 * tile of rows (a 6-row product on the 5-row kernel, or 16 rows on the 6-row one: a convolution's output
 * channels) runs a kernel of 4, 2 or 1 rows instead of the whole tile's multiply-adds.
 */
export function microkernel(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, edgeTile: usize, accumulate: bool,
): void {
  if (mr > 4) tile(MR, kc, ap, bp, c, ldc, mr, nr, edgeTile, accumulate);
  else if (mr > 2) tile(4, kc, ap, bp, c, ldc, mr, nr, edgeTile, accumulate);
  else if (mr > 1) tile(2, kc, ap, bp, c, ldc, mr, nr, edgeTile, accumulate);
  else tile(1, kc, ap, bp, c, ldc, mr, nr, edgeTile, accumulate);
}

/**
 * The kernel for the first `rows` rows of a sliver (a literal at each call, so every `rows > i` below is
 * decided at compile time and each copy keeps only its own accumulators). Time any edit here with
 * bench/gemm-ceiling.mjs: merging the two store paths below into one once made binaryen hoist every
 * broadcast to the top of the loop, and V8 then spilled accumulators each step (27 against 58 GFLOPS).
 */
// @ts-ignore: decorator
@inline function tile(
  rows: i32, kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, edgeTile: usize, accumulate: bool,
): void {
  const zero = f32x4.splat(0);
  let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
  let c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    if (rows > 1) {
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
    }
    if (rows > 2) {
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
    }
    if (rows > 4) {
      a = v128.load32_splat(ap, 16);
      c40 = madd(a, b0, c40);
      c41 = madd(a, b1, c41);
    }
    if (rows > 5) {
      a = v128.load32_splat(ap, 20);
      c50 = madd(a, b0, c50);
      c51 = madd(a, b1, c51);
    }
    ap += MR << 2;
    bp += 32;
  }
  const ld = <usize>ldc << 2;
  if (mr == rows && nr == NR) {
    let row = c;
    storeRow(row, c00, c01, accumulate);
    if (rows > 1) storeRow(row += ld, c10, c11, accumulate);
    if (rows > 2) {
      storeRow(row += ld, c20, c21, accumulate);
      storeRow(row += ld, c30, c31, accumulate);
    }
    if (rows > 4) storeRow(row += ld, c40, c41, accumulate);
    if (rows > 5) storeRow(row += ld, c50, c51, accumulate);
    return;
  }
  storeRow(edgeTile, c00, c01, false);
  if (rows > 1) storeRow(edgeTile + 32, c10, c11, false);
  if (rows > 2) {
    storeRow(edgeTile + 64, c20, c21, false);
    storeRow(edgeTile + 96, c30, c31, false);
  }
  if (rows > 4) storeRow(edgeTile + 128, c40, c41, false);
  if (rows > 5) storeRow(edgeTile + 160, c50, c51, false);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ld;
    const t = edgeTile + (<usize>(i * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const p = row + (<usize>j << 2);
      const sum = load<f32>(t + (<usize>j << 2));
      store<f32>(p, accumulate ? load<f32>(p) + sum : sum);
    }
  }
}

/** Stores (or adds, when `accumulate`) one row of the tile, two vectors, at `row`. */
// @ts-ignore: decorator
@inline function storeRow(row: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    lo = f32x4.add(v128.load(row), lo);
    hi = f32x4.add(v128.load(row, 16), hi);
  }
  v128.store(row, lo);
  v128.store(row, hi, 16);
}
