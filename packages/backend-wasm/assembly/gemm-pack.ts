// Packing for the blocked GEMM: copies a block of a strided operand into the order the microkernel reads
// it (Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008). Element (r, c) of
// an operand is at base + (r*rs + c*cs)*4, so a transposed operand is packed in place, never copied whole.

/** Rows of A per microkernel tile: as many as the build's accumulators fit in registers (gemm-kernel.ts). */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
/** Columns of B per microkernel tile: two v128 lanes of four floats. */
export const NR: i32 = 8;

/**
 * Packs rows [i0, i0+mc) × columns [k0, k0+kc) of A into MR-row slivers, k-major inside a sliver
 * (dst[s*kc*MR + k*MR + r]), zero-padding the last sliver so the microkernel has no edge case.
 */
export function packA(a: usize, rs: i32, cs: i32, i0: i32, k0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let is = 0; is < mc; is += MR) {
    const sliver = dst + (<usize>(is * kc) << 2);
    const rows = min(MR, mc - is);
    if (rows == MR && rs == 1) {
      // A stored transposed: the MR values of one k are adjacent, so two overlapping vector copies per k
      // (MR is 4 to 8).
      let src = a + (<usize>((i0 + is) + k0 * cs) << 2);
      const step = <usize>cs << 2;
      const tail = <usize>(MR - 4) << 2;
      for (let k = 0; k < kc; k++) {
        const d = sliver + <usize>(k * MR) * 4;
        v128.store(d, v128.load(src));
        v128.store(d + tail, v128.load(src + tail));
        src += step;
      }
      continue;
    }
    if (rows == MR && cs == 1) {
      // Row-major A: four k of each row in one vector load, transposed in registers (the 4×4 transpose
      // of rows 0–3, rows 4 and 5 interleaved), then stored as whole vectors where they fit.
      packRowsTransposed(a + (<usize>((i0 + is) * rs + k0) << 2), rs, kc, sliver);
      continue;
    }
    for (let r = 0; r < MR; r++) {
      let d = sliver + (<usize>r << 2);
      if (r >= rows) {
        for (let k = 0; k < kc; k++, d += MR << 2) store<f32>(d, 0);
        continue;
      }
      let src = a + (<usize>((i0 + is + r) * rs + k0 * cs) << 2);
      const step = <usize>cs << 2;
      for (let k = 0; k < kc; k++, d += MR << 2, src += step) store<f32>(d, load<f32>(src));
    }
  }
}

/**
 * Packs rows [k0, k0+kc) × columns [j0, j0+nc) of B into NR-column slivers, k-major inside a sliver
 * (dst[s*kc*NR + k*NR + c]), zero-padding the last sliver.
 */
export function packB(b: usize, rs: i32, cs: i32, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let js = 0; js < nc; js += NR) {
    const sliver = dst + (<usize>(js * kc) << 2);
    const cols = min(NR, nc - js);
    if (cols == NR && cs == 1) {
      // Row-major B: the NR values of one k are adjacent, two vector copies per k.
      let src = b + (<usize>(k0 * rs + j0 + js) << 2);
      const step = <usize>rs << 2;
      for (let k = 0; k < kc; k++) {
        const d = sliver + (<usize>k << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        src += step;
      }
      continue;
    }
    if (cols == NR && rs == 1) {
      // B stored transposed: each of the NR columns is contiguous in k, so four k of each column come in
      // one vector load and two 4×4 transposes turn them into four rows of the sliver.
      let src = b + (<usize>(k0 + (j0 + js) * cs) << 2);
      const ld = <usize>cs << 2;
      const k4 = kc & ~3;
      let d = sliver;
      for (let k = 0; k < k4; k += 4, src += 16, d += 128) {
        transpose4(d, 32, v128.load(src), v128.load(src + ld), v128.load(src + 2 * ld), v128.load(src + 3 * ld));
        const hi = src + 4 * ld;
        transpose4(d + 16, 32, v128.load(hi), v128.load(hi + ld), v128.load(hi + 2 * ld), v128.load(hi + 3 * ld));
      }
      for (let k = k4; k < kc; k++, src += 4, d += 32) {
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(src + <usize>c * ld));
      }
      continue;
    }
    for (let c = 0; c < NR; c++) {
      let d = sliver + (<usize>c << 2);
      if (c >= cols) {
        for (let k = 0; k < kc; k++, d += 32) store<f32>(d, 0);
        continue;
      }
      let src = b + (<usize>(k0 * rs + (j0 + js + c) * cs) << 2);
      const step = <usize>rs << 2;
      for (let k = 0; k < kc; k++, d += 32, src += step) store<f32>(d, load<f32>(src));
    }
  }
}

/**
 * Stores the transpose of the 4×4 block whose rows are r0…r3: its column j (lane j of every row) as one
 * vector at d + j·stride bytes. Two rounds of 32- and 64-bit interleaves (unpcklps/unpckhps and
 * punpcklqdq/punpckhqdq on x64).
 */
// @ts-ignore: decorator
@inline function transpose4(d: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f64>(t0, t1, 0, 2));
  v128.store(d + stride, v128.shuffle<f64>(t0, t1, 1, 3));
  v128.store(d + 2 * stride, v128.shuffle<f64>(t2, t3, 0, 2));
  v128.store(d + 3 * stride, v128.shuffle<f64>(t2, t3, 1, 3));
}

/**
 * Packs one full MR-row sliver of row-major A (row r of the block at src + r·rs·4, kc floats of it)
 * into dst[k*MR + r]: four k at a time, rows 0–3 through transpose4 and the remaining MR − 4 rows (one or
 * two) lane by lane, the last kc mod 4 k one float at a time.
 */
function packRowsTransposed(src: usize, rs: i32, kc: i32, dst: usize): void {
  const ld = <usize>rs << 2;
  const step = <usize>(MR << 2);
  const k4 = kc & ~3;
  let s = src;
  let d = dst;
  for (let k = 0; k < k4; k += 4, s += 16, d += 4 * step) {
    transpose4(d, step, v128.load(s), v128.load(s + ld), v128.load(s + 2 * ld), v128.load(s + 3 * ld));
    const r4 = v128.load(s + 4 * ld);
    if (MR == 6) {
      // Rows 4 and 5 interleaved: lanes (r4, r5) of k, k+1 in lo and of k+2, k+3 in hi, 64 bits per k.
      const r5 = v128.load(s + 5 * ld);
      const lo = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5);
      const hi = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7);
      v128.store64_lane(d + 16, lo, 0);
      v128.store64_lane(d + 16 + step, lo, 1);
      v128.store64_lane(d + 16 + 2 * step, hi, 0);
      v128.store64_lane(d + 16 + 3 * step, hi, 1);
    } else {
      v128.store32_lane(d + 16, r4, 0);
      v128.store32_lane(d + 16 + step, r4, 1);
      v128.store32_lane(d + 16 + 2 * step, r4, 2);
      v128.store32_lane(d + 16 + 3 * step, r4, 3);
    }
  }
  for (let k = k4; k < kc; k++, s += 4, d += step) {
    for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + <usize>r * ld));
  }
}
