// The threaded GEMM over one B packed whole: instead of every block of C packing the panels of B it
// needs (with N = 128 every row block packed all of a 784×128 B again), the calling thread packs B once
// into a buffer every thread reads (a few microseconds, while the workers wake), then the threads compute
// row blocks of C that pack only their own rows of A (src/threads/gemm-tasks.ts). Packing on one thread
// leaves no thread waiting for another's packing, which on a machine whose cores are all taken could be
// descheduled for a whole time slice. The panels are laid out as gemmBlock packs them, so every element
// of C is summed in the same order as on one thread, bit for bit.
import { NR, packB } from './gemm-pack';
import { KC, MC, NC, sweepPanel } from './gemm';

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

/** Packs op(B)[K,N] (strides as `gemm`'s, a stored matrix) whole into `packed` (gemmPackedFloats). */
export function gemmPackWhole(b: usize, brs: i32, bcs: i32, N: i32, K: i32, packed: usize): void {
  const rowFloats = paddedColumns(N);
  for (let pc = 0; pc < K; pc += KC) {
    packB(b, brs, bcs, pc, 0, min(KC, K - pc), N, packed + (<usize>(pc * rowFloats) << 2));
  }
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
  gemmPackedInto(a, ars, acs, packed, fullN, n0, c, ldc, M, N, K, scratch, false);
}

/**
 * `gemmPackedBlock`, adding to C when `accumulate`: the recurrent kernels pack W_hh once per sequence and
 * multiply every step's state by it.
 */
export function gemmPackedInto(
  a: usize, ars: i32, acs: i32, packed: usize, fullN: i32, n0: i32, c: usize, ldc: i32,
  M: i32, N: i32, K: i32, scratch: usize, accumulate: bool,
): void {
  const aPack = scratch;
  const edgeTile = scratch + (<usize>(MC * KC + KC * NC) << 2);
  const rowFloats = paddedColumns(fullN);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const panel = packed + (<usize>(pc * rowFloats + (n0 + jc) * kc) << 2);
      sweepPanel(a, ars, acs, panel, c, ldc, M, jc, pc, kc, nc, aPack, edgeTile, accumulate);
    }
  }
}
