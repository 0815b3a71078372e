import type { TypedArray } from '../dtype.js';
import { MR, NR, makeMicrokernel4x4, type Microkernel } from './gemm-kernel.js';
import { packA, packB, type MatView } from './gemm-pack.js';

/**
 * Cache blocking of the GotoBLAS loop nest: a KC×NC panel of B is packed once and reused by every
 * MC-row block of A; an MC×KC block of packed A (128·256 doubles = 256 KiB) stays in L2 while the
 * microkernel sweeps it against KC×NR slivers of B (8 KiB, in L1).
 */
const KC = 256;
const MC = 128;
const NC = 1024;

interface Scratch {
  aPack: Float64Array;
  bPack: Float64Array;
  tile: Float64Array;
  kernel: Microkernel;
}

// The packed panels have fixed sizes (the blocks bound them), are allocated on first use (2.3 MiB) and
// reused by every later call: allocating per call costs more than the product for small matrices, and a
// single kernel closure over fixed buffers is what lets V8 specialize it. gemm never re-enters itself.
let scratch: Scratch | null = null;

function getScratch(): Scratch {
  if (!scratch) {
    const aPack = new Float64Array(MC * KC);
    const bPack = new Float64Array(KC * NC);
    const tile = new Float64Array(MR * NR);
    scratch = { aPack, bPack, tile, kernel: makeMicrokernel4x4(aPack, bPack, tile) };
  }
  return scratch;
}

/** C[M,N] (row-major, contiguous at cOff) += A[M,K] · B[K,N] for strided views A and B. */
export function gemmBlocked(A: MatView, B: MatView, c: TypedArray, cOff: number, M: number, N: number, K: number): void {
  const s = getScratch();
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packB(B, pc, jc, kc, nc, s.bPack);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packA(A, ic, pc, mc, kc, s.aPack);
        sweep(s, c, cOff + ic * N + jc, N, mc, nc, kc);
      }
    }
  }
}

/** Runs the microkernel over every MR×NR tile of an mc×nc block and adds the tiles into C. */
function sweep(s: Scratch, c: TypedArray, cBase: number, ldc: number, mc: number, nc: number, kc: number): void {
  const { kernel, tile } = s;
  for (let js = 0; js < nc; js += NR) {
    const nr = Math.min(NR, nc - js);
    for (let is = 0; is < mc; is += MR) {
      kernel(kc, is * kc, js * kc);
      const mr = Math.min(MR, mc - is);
      let row = cBase + is * ldc + js;
      if (mr === MR && nr === NR) {
        for (let i = 0; i < MR; i++, row += ldc) {
          c[row] += tile[i * NR];
          c[row + 1] += tile[i * NR + 1];
          c[row + 2] += tile[i * NR + 2];
          c[row + 3] += tile[i * NR + 3];
        }
      } else {
        for (let i = 0; i < mr; i++, row += ldc) {
          for (let j = 0; j < nr; j++) c[row + j] += tile[i * NR + j];
        }
      }
    }
  }
}
