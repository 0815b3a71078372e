/**
 * Int32 values of a job: a, ars, acs, b, brs, bcs, c, M, N, K (the product as the module's `gemm` takes
 * it), down, cols (row blocks and the column block size from planTasks or planPackedTasks), packed (where
 * the caller packed B whole, assembly/gemm-threads.ts; 0: every block packs its own panels of B, as for a
 * convolution's patch matrix), tileRows (the microkernel's rows, which row blocks are whole numbers of).
 */
export const JOB_SLOTS = 14;

/** How a threaded GEMM cuts C into blocks: `rows` × `cols` elements each, the last ones ragged. */
export interface TaskGrid {
  rows: number;
  cols: number;
  /** Blocks down the rows of C and across its columns. */
  down: number;
  across: number;
}

// Threads take blocks from a shared counter rather than one fixed panel each: the machine is shared, and
// a thread slowed by another process (or woken late) then simply takes fewer blocks instead of leaving
// the others waiting for its panel. Four blocks a thread balance well.
const BLOCKS_PER_THREAD = 4;
const MIN_ROWS = 64;
const MIN_COLS = 128;
/** Column blocks start on 16-float (64-byte) boundaries so two threads never write one cache line of C. */
const COL_ALIGN = 16;

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * The blocks for an M×N product over `threads` threads whose blocks each pack their own panels of B (a
 * convolution's patch matrix, packed from the image): one row panel per thread to start with, then the
 * longer side halved (rows stay multiples of the microkernel's `tileRows`) until there are
 * BLOCKS_PER_THREAD blocks a thread or the blocks reach MIN_ROWS × MIN_COLS, since every block packs its
 * own B columns and A rows (1/rows + 1/cols of the multiply-adds' loads).
 */
export function planTasks(M: number, N: number, threads: number, tileRows: number): TaskGrid {
  let rows = roundUp(Math.ceil(M / threads), tileRows);
  let cols = N;
  const count = () => Math.ceil(M / rows) * Math.ceil(N / cols);
  while (count() < threads * BLOCKS_PER_THREAD) {
    const halfCols = roundUp(Math.ceil(cols / 2), COL_ALIGN);
    const halfRows = roundUp(Math.ceil(rows / 2), tileRows);
    if (cols >= rows && halfCols >= MIN_COLS && halfCols < cols) cols = halfCols;
    else if (halfRows >= MIN_ROWS && halfRows < rows) rows = halfRows;
    else if (halfCols >= MIN_COLS && halfCols < cols) cols = halfCols;
    else break;
  }
  return { rows, cols, down: Math.ceil(M / rows), across: Math.ceil(N / cols) };
}

/**
 * The blocks for an M×N product whose B is packed once, whole (assembly/gemm-threads.ts): a block
 * then packs only its own rows of A, so rows are cut as fine as BLOCKS_PER_THREAD blocks a thread asks
 * (whole tiles of `tileRows`), and columns only where there are too few tiles of rows (they repack A).
 */
export function planPackedTasks(M: number, N: number, threads: number, tileRows: number): TaskGrid {
  const target = threads * BLOCKS_PER_THREAD;
  const rows = Math.max(tileRows, roundUp(Math.ceil(M / target), tileRows));
  const down = Math.ceil(M / rows);
  let cols = N;
  if (down < target) {
    const across = Math.min(Math.ceil(target / down), Math.max(1, Math.floor(N / MIN_COLS)));
    cols = roundUp(Math.ceil(N / across), COL_ALIGN);
  }
  return { rows, cols, down, across: Math.ceil(N / cols) };
}

/** The module's functions that tasks call (assembly/gemm.ts and gemm-threads.ts). */
export interface TaskKernels {
  gemmBlock(a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, ldc: number, M: number, N: number, K: number, scratch: number): void;
  gemmPackedBlock(a: number, ars: number, acs: number, packed: number, fullN: number, n0: number, c: number, ldc: number, M: number, N: number, K: number, scratch: number): void;
}

/** The module's exports behind the threaded GEMM (wasm-module.ts's KernelExports extends this). */
export interface GemmThreadExports extends TaskKernels {
  /** Floats of the buffer that B, op(B)[K,N], packs into whole. */
  gemmPackedFloats(N: number, K: number): number;
  /** Packs op(B)[K,N] whole into `packed`. */
  gemmPackWhole(b: number, brs: number, bcs: number, N: number, K: number, packed: number): void;
}

/**
 * Computes blocks of C taken from the shared counter `next[0]` until none are left: the loop every
 * thread runs, the main one and the workers alike, from B packed whole where the job has it, else packing
 * each block's panels of B. The tiles of rows are dealt evenly to the `down` row blocks (their sizes
 * differ by one tile at most, so the last block to finish is never much longer than the others). `job` is
 * JOB_SLOTS values. Self-contained (no imports or outer names), as the worker source embeds it with
 * `Function.prototype.toString`.
 */
export function runTasks(kernels: TaskKernels, next: Int32Array, job: Int32Array, scratch: number): void {
  const [a, ars, acs, b, brs, bcs, c, M, N, K, down, cols, packed, tileRows] = job;
  const tiles = Math.ceil(M / tileRows);
  const total = down * Math.ceil(N / cols);
  for (let t = Atomics.add(next, 0, 1); t < total; t = Atomics.add(next, 0, 1)) {
    // Down each column block first: threads then work on the same columns of B at the same time.
    const i = t % down;
    const m0 = Math.floor((i * tiles) / down) * tileRows;
    const m = Math.min(M, Math.floor(((i + 1) * tiles) / down) * tileRows) - m0;
    const n0 = Math.floor(t / down) * cols;
    const n = Math.min(cols, N - n0);
    if (packed !== 0) {
      kernels.gemmPackedBlock(a + m0 * ars * 4, ars, acs, packed, N, n0, c + (m0 * N + n0) * 4, N, m, n, K, scratch);
    } else {
      // brs = -1: B is a patch matrix packed from an image (assembly/gemm.ts PATCH_B), bcs its first column.
      const [bBlock, bcsBlock] = brs === -1 ? [b, bcs + n0] : [b + n0 * bcs * 4, bcs];
      kernels.gemmBlock(a + m0 * ars * 4, ars, acs, bBlock, brs, bcsBlock, c + (m0 * N + n0) * 4, N, m, n, K, scratch);
    }
  }
}
