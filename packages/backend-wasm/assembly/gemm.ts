// Cache-blocked GEMM (the GotoBLAS loop nest): a KC×NC panel of B (256 KiB) is packed once per (jc, pc) and
// reused by every MC-row block of A; an MC×KC block of packed A (64·128 floats = 32 KiB) stays in L1/L2
// while the microkernel sweeps it against KC×NR slivers of B (4 KiB, in L1). KC = 128 measured best at
// n = 1024 against KC = 256 and 512 and MC = 32…128 (bench/matmul.mjs on a 2-core Xeon). NC = 512 (a B panel
// that stays in L2) against 2048: 27 against 16 GFLOPS single-threaded at n = 1024 on the same machine.
// Re-measured with the block-store kernel (2-vCPU Sapphire Rapids, interleaved paired runs): KC 256, NC 256,
// a KC·K-resident B panel (loop order jc → ic → pc) and MC 32 all came within ±1.5% of these (noise).
// MC is twelve tiles of rows (60 or 72 with the 5- and 6-row tiles), so row blocks end on whole tiles.
import { MR, NR, packA, packB } from './gemm-pack';
import { microkernel } from './gemm-kernel';
import { gemmSmallM } from './gemm-small';
import { packPatchPanel, patchScratchBytes } from './gemm-patches';

export const KC: i32 = 128;
export const MC: i32 = MR * 12;
export const NC: i32 = 512;

/**
 * Bytes of scratch `gemm` needs at `scratch` (16-byte aligned): an MC×KC block of packed A, a KC×NC panel
 * of packed B, one edge tile and the patch packers' column offsets. Each thread calling `gemm` on a shared
 * memory needs its own.
 */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4 + patchScratchBytes(KC);
}

/** Rows of the microkernel tile, which threads cut their row blocks at (src/threads/gemm-tasks.ts). */
export function gemmTileRows(): i32 {
  return MR;
}

/**
 * `brs` of a B that is a convolution's patch matrix, never stored: `b` is then the patch geometry block
 * (GEO_* slots of gemm-patches.ts) and `bcs` the first column of B, and the panels are packed from the
 * image (an implicit GEMM).
 */
export const PATCH_B: i32 = -1;

/**
 * C[M,N] = op(A)[M,K] · op(B)[K,N], C row-major and contiguous. op(A)(i,k) is at a + (i*ars + k*acs)*4
 * (ars = K, acs = 1 for row-major A; ars = 1, acs = M when A is stored transposed), likewise B, or B is
 * the patch matrix of an image (brs = PATCH_B).
 */
export function gemm(
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize,
  M: i32, N: i32, K: i32, scratch: usize,
): void {
  // Under four rows, packing B costs as much as the product: use the direct row kernels.
  if (M < 4 && K > 0 && brs != PATCH_B && (bcs == 1 || (brs == 1 && acs == 1))) {
    memory.fill(c, 0, <usize>(M * N) << 2);
    gemmSmallM(a, ars, acs, b, brs, bcs, c, M, N, K);
    return;
  }
  gemmBlock(a, ars, acs, b, brs, bcs, c, N, M, N, K, scratch);
}

/**
 * The blocked product alone, into a block of C with leading dimension `ldc` (in elements): threads
 * split C into row × column blocks, block (m0, n0) being gemmBlock(a + m0·ars·4, …, b + n0·bcs·4, …,
 * c + (m0·ldc + n0)·4, ldc, rows, cols, K, own scratch), or with b and bcs + n0 for a patch matrix
 * (brs = PATCH_B). Every element is summed in the same order whatever the block, so threaded results are
 * bit-identical to one thread's.
 */
export function gemmBlock(
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, ldc: i32,
  M: i32, N: i32, K: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (let i = 0; i < M; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>N << 2);
    return;
  }
  const aPack = scratch;
  const bPack = scratch + (<usize>(MC * KC) << 2);
  const edgeTile = bPack + (<usize>(KC * NC) << 2);
  const columns = edgeTile + (<usize>(MR * NR) << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      if (brs == PATCH_B) packPatchPanel(b, pc, bcs + jc, kc, nc, bPack, columns);
      else packB(b, brs, bcs, pc, jc, kc, nc, bPack);
      sweepPanel(a, ars, acs, bPack, c, ldc, M, jc, pc, kc, nc, aPack, edgeTile, false);
    }
  }
}

/**
 * Every MC-row block of A (packed into `aPack`) against one packed KC×nc panel of B at columns jc, k block
 * pc: the microkernel over the panel's tiles of C. The first k block stores its tiles (C needs no zeroing
 * pass) unless `accumulate`; later ones add to them.
 */
// @ts-ignore: decorator
@inline export function sweepPanel(
  a: usize, ars: i32, acs: i32, panel: usize, c: usize, ldc: i32, M: i32, jc: i32, pc: i32, kc: i32, nc: i32,
  aPack: usize, edgeTile: usize, accumulate: bool,
): void {
  for (let ic = 0; ic < M; ic += MC) {
    const mc = min(MC, M - ic);
    packA(a, ars, acs, ic, pc, mc, kc, aPack);
    for (let js = 0; js < nc; js += NR) {
      const nr = min(NR, nc - js);
      const bp = panel + (<usize>(js * kc) << 2);
      for (let is = 0; is < mc; is += MR) {
        const cTile = c + (<usize>((ic + is) * ldc + jc + js) << 2);
        microkernel(kc, aPack + (<usize>(is * kc) << 2), bp, cTile, ldc, min(MR, mc - is), nr, edgeTile, accumulate || pc > 0);
      }
    }
  }
}
