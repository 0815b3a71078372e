import type { TypedArray } from '../dtype.js';
import { MR, NR } from './gemm-kernel.js';

/**
 * A strided view of a matrix: element (r, c) is at off + r*rs + c*cs. A row-major matrix has cs = 1,
 * its transpose rs = 1; packing reads either directly, so transposed operands are never copied whole.
 */
export interface MatView {
  data: TypedArray;
  off: number;
  rs: number;
  cs: number;
}

/**
 * Packs rows [i0, i0+mc) × columns [k0, k0+kc) of A into MR-row slivers, k-major within a sliver
 * (dst[s*kc*MR + k*MR + r]), zero-padding the last sliver so the microkernel never needs an edge case.
 */
export function packA(A: MatView, i0: number, k0: number, mc: number, kc: number, dst: Float64Array): void {
  const { data, rs, cs } = A;
  for (let is = 0; is < mc; is += MR) {
    const base = is * kc;
    for (let r = 0; r < MR; r++) {
      let d = base + r;
      if (is + r >= mc) {
        for (let k = 0; k < kc; k++, d += MR) dst[d] = 0;
        continue;
      }
      let s = A.off + (i0 + is + r) * rs + k0 * cs;
      for (let k = 0; k < kc; k++, d += MR, s += cs) dst[d] = data[s];
    }
  }
}

/**
 * Packs rows [k0, k0+kc) × columns [j0, j0+nc) of B into NR-column slivers, k-major within a sliver
 * (dst[s*kc*NR + k*NR + c]), zero-padding the last sliver.
 */
export function packB(B: MatView, k0: number, j0: number, kc: number, nc: number, dst: Float64Array): void {
  const { data, rs, cs } = B;
  for (let js = 0; js < nc; js += NR) {
    const base = js * kc;
    for (let c = 0; c < NR; c++) {
      let d = base + c;
      if (js + c >= nc) {
        for (let k = 0; k < kc; k++, d += NR) dst[d] = 0;
        continue;
      }
      let s = B.off + k0 * rs + (j0 + js + c) * cs;
      for (let k = 0; k < kc; k++, d += NR, s += rs) dst[d] = data[s];
    }
  }
}
