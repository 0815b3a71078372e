/**
 * The whole-sequence recurrent kernels (assembly/lstm-sequence.ts, gru-sequence.ts) split across threads
 * by batch rows: rows never interact in a recurrence, so each task runs every step for its own rows, with
 * its own slice of scratch, and the results are bit-identical to one thread's as long as every task has
 * at least MIN_TASK_ROWS rows (the GEMM's small-row path below four rows rounds differently).
 */

/** Which of the module's row-range loops a row job runs. */
export const ROW_LOOPS = { lstmForward: 0, lstmBackward: 1, gruForward: 2, gruBackward: 3 } as const;
export type RowLoop = (typeof ROW_LOOPS)[keyof typeof ROW_LOOPS];

/** Int32 values of a row job: loop, eight pointers (the loop's operands), T, N, H, reverse, tasks, scratch, stride. */
export const ROW_JOB_SLOTS = 16;

/** The fewest rows a task takes (see above). */
export const MIN_TASK_ROWS = 4;

/** The module's row-range loops (assembly/lstm-sequence.ts and gru-sequence.ts). */
export interface RowKernels {
  lstmSequenceForward(xw: number, h0: number, c0: number, w: number, out: number, gates: number, T: number, N: number, H: number, reverse: number, scratch: number, r0: number, r1: number): void;
  lstmSequenceBackward(
    g: number, y: number, acts: number, h0: number, c0: number, w: number, out: number, gh: number, hPrev: number,
    T: number, N: number, H: number, reverse: number, scratch: number, r0: number, r1: number,
  ): void;
  gruSequenceForward(xw: number, h0: number, w: number, bias: number, out: number, a: number, T: number, N: number, H: number, reverse: number, scratch: number, r0: number, r1: number): void;
  gruSequenceBackward(
    g: number, y: number, sv: number, h0: number, w: number, out: number, dA: number, hPrev: number, dh: number,
    T: number, N: number, H: number, reverse: number, scratch: number, r0: number, r1: number,
  ): void;
}

/**
 * Runs row tasks taken from the shared counter `next[0]` until none are left: the loop every thread
 * runs. Task t covers rows [⌊tN/tasks⌋, ⌊(t+1)N/tasks⌋) with its own `stride` floats of scratch at
 * `own + t·stride·4`; `scratch` is the running thread's GEMM packing space. Self-contained (no imports or
 * outer names), as the worker source embeds it with `Function.prototype.toString`.
 */
export function runRowTasks(kernels: RowKernels, next: Int32Array, job: Int32Array, scratch: number): void {
  const [loop, p0, p1, p2, p3, p4, p5, p6, p7, T, N, H, reverse, tasks, own, stride] = job;
  for (let t = Atomics.add(next, 0, 1); t < tasks; t = Atomics.add(next, 0, 1)) {
    const r0 = Math.floor((t * N) / tasks);
    const r1 = Math.floor(((t + 1) * N) / tasks);
    const mine = own + t * stride * 4;
    if (loop === 0) kernels.lstmSequenceForward(p0, p1, p2, p3, p4, mine, T, N, H, reverse, scratch, r0, r1);
    else if (loop === 1) kernels.lstmSequenceBackward(p0, p1, p2, p3, p4, p5, p6, mine, p7, T, N, H, reverse, scratch, r0, r1);
    else if (loop === 2) kernels.gruSequenceForward(p0, p1, p2, p3, p4, mine, T, N, H, reverse, scratch, r0, r1);
    else kernels.gruSequenceBackward(p0, p1, p2, p3, p4, p5, p6, p7, mine, T, N, H, reverse, scratch, r0, r1);
  }
}

/**
 * Runs a row job's loop over rows on however many threads a runner has: `ptrs` are the loop's operands
 * but its per-task scratch (up to eight; see runRowTasks for where the scratch goes), `stride` the
 * floats of scratch a task of the most rows needs.
 */
export type RowRunner = (loop: RowLoop, ptrs: readonly number[], T: number, N: number, H: number, reverse: number, stride: (rows: number) => number) => void;

/** Fills `job` (ROW_JOB_SLOTS) for runRowTasks: `tasks` tasks of `stride` floats of scratch each from `own`. */
export function fillRowJob(
  job: Int32Array, loop: RowLoop, ptrs: readonly number[], T: number, N: number, H: number, reverse: number, tasks: number, own: number, stride: number,
): void {
  job.fill(0);
  job.set([loop, ...ptrs]);
  job.set([T, N, H, reverse, tasks, own, stride], 9);
}

/** A task's scratch in floats, rounded up to whole vectors so every task's slice starts 16-byte aligned. */
export const taskStride = (floats: number): number => Math.ceil(floats / 4) * 4;
