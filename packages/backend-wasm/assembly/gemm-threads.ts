// The threaded GEMM over one B packed whole: instead of every block of C packing the panels of B it
// needs (with N = 128 every row block packed all of a 784×128 B again), the threads first pack B once
// into a shared buffer, one KC-row × PACK_COLS-column task at a time, then compute row blocks of C that
// pack only their own rows of A. Both kinds of task come from one counter (src/threads/gemm-tasks.ts).
// The panels are laid out as gemmBlock packs them, so every element of C is summed in the same order as
// on one thread, bit for bit.
import { MR, NR, packA, packB } from './gemm-pack';
import { microkernel } from './gemm-kernel';
import { KC, MC, NC } from './gemm';

/** Columns of B one packing task packs (eight slivers). */
const PACK_COLS: i32 = 64;

/** N rounded up to whole slivers: the row length of B packed whole, in floats. */
function paddedColumns(N: i32): i32 {
  return (N + NR - 1) / NR * NR;
}

/**
 * Floats of B packed whole: its KC-row blocks one after another, each as the NR-column slivers of
 * every column (k block p starts at p·KC·paddedColumns(N), its sliver s at s·kc·NR from there).
 */
export function gemmPackedFloats(N: i32, K: i32): i32 {
  return K * paddedColumns(N);
}

/** How many packing tasks B takes: KC rows × PACK_COLS columns each. */
export function gemmPackTasks(N: i32, K: i32): i32 {
  return ((K + KC - 1) / KC) * ((N + PACK_COLS - 1) / PACK_COLS);
}

/** Packs task `task` of op(B)[K,N] (strides as `gemm`'s, a stored matrix) into `packed`. */
export function gemmPackTask(b: usize, brs: i32, bcs: i32, N: i32, K: i32, task: i32, packed: usize): void {
  const across = (N + PACK_COLS - 1) / PACK_COLS;
  const pc = (task / across) * KC;
  const j0 = (task % across) * PACK_COLS;
  const kc = min(KC, K - pc);
  packB(b, brs, bcs, pc, j0, kc, min(PACK_COLS, N - j0), packed + (<usize>(pc * paddedColumns(N) + j0 * kc) << 2));
}

/**
 * A block of C from B packed whole: C[M, N] (leading dimension `ldc`) = op(A)[M,K] · columns [n0, n0+N)
 * of the packed B, whose full width is `fullN`. `n0` is a multiple of NR; a points at the block's first
 * row; `scratch` is the thread's gemm scratch (its B panel goes unused). K ≥ 1.
 */
export function gemmPackedBlock(
  a: usize, ars: i32, acs: i32, packed: usize, fullN: i32, n0: i32, c: usize, ldc: i32,
  M: i32, N: i32, K: i32, scratch: usize,
): void {
  const aPack = scratch;
  const edgeTile = scratch + (<usize>(MC * KC + KC * NC) << 2);
  const rowFloats = paddedColumns(fullN);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const panel = packed + (<usize>(pc * rowFloats + (n0 + jc) * kc) << 2);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(a, ars, acs, ic, pc, mc, kc, aPack);
        for (let js = 0; js < nc; js += NR) {
          const nr = min(NR, nc - js);
          const bp = panel + (<usize>(js * kc) << 2);
          for (let is = 0; is < mc; is += MR) {
            const cTile = c + (<usize>((ic + is) * ldc + jc + js) << 2);
            microkernel(kc, aPack + (<usize>(is * kc) << 2), bp, cTile, ldc, min(MR, mc - is), nr, edgeTile, pc > 0);
          }
        }
      }
    }
  }
}
