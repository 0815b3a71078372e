/** Int32 values of a job: a, ars, acs, b, brs, bcs, c, M, N, K, rows, cols. */
export const JOB_SLOTS = 12;

/** How a threaded GEMM cuts C into blocks: `rows` × `cols` elements each, the last ones ragged. */
export interface TaskGrid {
  rows: number;
  cols: number;
  /** Blocks down the rows of C and across its columns. */
  down: number;
  across: number;
}

// Threads take blocks from a shared counter rather than one fixed panel each: the machine is shared, and
// a thread slowed by another process (or woken late, Atomics.notify to running costs ~0.1 ms) then simply
// takes fewer blocks instead of leaving the others waiting for its panel. Four blocks a thread balance
// well; every block packs its own B columns and A rows, which costs 1/rows + 1/cols of the multiply-adds'
// loads (under 1% for the 256 × 512 blocks of n = 1024).
const BLOCKS_PER_THREAD = 4;
const MIN_ROWS = 64;
const MIN_COLS = 128;
/** Column blocks start on 16-float (64-byte) boundaries so two threads never write one cache line of C. */
const COL_ALIGN = 16;

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * The blocks for an M×N product over `threads` threads: one row panel per thread to start with, then
 * the longer side halved (rows stay multiples of the microkernel's `tileRows`) until there are
 * BLOCKS_PER_THREAD blocks a thread or the blocks reach MIN_ROWS × MIN_COLS.
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
 * Computes blocks of C taken from the shared counter `next[0]` until none are left: the loop every
 * thread runs, the main one and the workers alike. `job` is [a, ars, acs, b, brs, bcs, c, M, N, K, rows,
 * cols]: the product as the module's `gemm` takes it and the block size from `planTasks`. Self-contained (no imports or outer names), as the
 * worker source embeds it with `Function.prototype.toString`.
 */
export function runTasks(
  gemmBlock: (a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, ldc: number, M: number, N: number, K: number, scratch: number) => void,
  next: Int32Array,
  job: Int32Array,
  scratch: number,
): void {
  const [a, ars, acs, b, brs, bcs, c, M, N, K, rows, cols] = job;
  const down = Math.ceil(M / rows);
  const total = down * Math.ceil(N / cols);
  for (let t = Atomics.add(next, 0, 1); t < total; t = Atomics.add(next, 0, 1)) {
    // Down each column block first: threads then work on the same columns of B at the same time.
    const m0 = (t % down) * rows;
    const n0 = Math.floor(t / down) * cols;
    // brs = -1: B is a patch matrix packed from an image (assembly/gemm.ts PATCH_B), bcs its first column.
    const [bBlock, bcsBlock] = brs === -1 ? [b, bcs + n0] : [b + n0 * bcs * 4, bcs];
    gemmBlock(a + m0 * ars * 4, ars, acs, bBlock, brs, bcsBlock, c + (m0 * N + n0) * 4, N, Math.min(rows, M - m0), Math.min(cols, N - n0), K, scratch);
  }
}
