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
