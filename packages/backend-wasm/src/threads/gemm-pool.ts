import type { Arena } from '../arena.js';
import { CONTROL_BYTES } from '../arena.js';
import type { KernelModule } from '../wasm-module.js';
import { JOB_SLOTS, planPackedTasks, planTasks, runTasks } from './gemm-tasks.js';
import { ARGS, CALM, DONE, ERR, GEMM_JOB, JOIN, KIND, NEXT, ROW_JOB, SEQ, STAMP } from './protocol.js';
import { MIN_TASK_ROWS, ROW_JOB_SLOTS, fillRowJob, runRowTasks, taskStride, type RowLoop } from './row-tasks.js';
import { threadStarter, type GemmThread } from './spawn.js';
import { waitFor } from './wait-for.js';

// Below this many multiply-adds, splitting costs more than it saves. With workers that poll for a while
// after each job (protocol.ts) and B packed once for all threads, a product's split costs a few
// microseconds; a caller never waits for a worker that has not woken (the JOIN handshake).
const MIN_PARALLEL_MACS = 1 << 20;

/** The clock the workers compare their wake-ups with (protocol.ts STAMP): µs, wrapping as an int32. */
const clockUs = () => ((performance.timeOrigin + performance.now()) * 1000) | 0;

/** `brs` of a B that is a convolution's patch matrix (assembly/gemm.ts PATCH_B). */
const PATCH_B = -1;

/**
 * Splits each large GEMM into blocks of C (gemm-tasks.ts) that the calling thread and `workers` worker
 * threads take from a shared counter, over one shared WebAssembly memory (worker_threads in Node, Web
 * Workers in a cross-origin isolated page), after the calling thread has packed B once for all. The calling
 * thread then waits until the workers that joined are done (wait-for.ts: it blocks where allowed and
 * spins on a page's main thread), so the kernel stays synchronous like every other kernel.
 */
export class GemmPool {
  private seq = 0;
  /** Rows of the module's microkernel tile: row blocks are cut at multiples of it. */
  private readonly tileRows: number;
  /** The shared block counter, in the control block after the workers' own (apart from their slots). */
  private readonly next: Int32Array;
  private readonly job = new Int32Array(JOB_SLOTS);
  private readonly rowJob = new Int32Array(ROW_JOB_SLOTS);

  private constructor(
    private readonly wasm: KernelModule,
    private readonly arena: Arena,
    private readonly workers: GemmThread[],
    private readonly controls: Int32Array[],
  ) {
    this.tileRows = wasm.exports.gemmTileRows();
    this.next = new Int32Array(wasm.memory.buffer, GemmPool.counterAt(arena, workers.length) + NEXT * 4, 1);
  }

  /** The counter lives in the arena's last control block (it has one per thread, workers use the rest). */
  private static counterAt(arena: Arena, workers: number): number {
    return arena.control + workers * CONTROL_BYTES;
  }

  /**
   * Starts `workers` threads (resolving once each has instantiated the module), or null where no host
   * can run them (thread-host.ts) or one failed to start (a page whose CSP forbids blob: workers, say):
   * the backend then runs on the calling thread alone.
   */
  static async start(wasm: KernelModule, arena: Arena, workers: number): Promise<GemmPool | null> {
    const startThread = threadStarter();
    if (!startThread) return null;
    const started: GemmThread[] = [];
    const controls: Int32Array[] = [];
    const counter = GemmPool.counterAt(arena, workers);
    for (let w = 0; w < workers; w++) {
      const control = arena.control + w * CONTROL_BYTES;
      controls.push(new Int32Array(wasm.memory.buffer, control, CONTROL_BYTES / 4));
      started.push(startThread({ module: wasm.module, memory: wasm.memory, control, counter, scratch: arena.gemmScratch[w + 1] }));
    }
    try {
      await Promise.all(started.map((t) => t.ready));
    } catch {
      await Promise.all(started.map((t) => t.terminate()));
      return null;
    }
    return new GemmPool(wasm, arena, started, controls);
  }

  /** Total threads, the main one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Whether an M×N×K product is split across the threads. */
  private splits(M: number, N: number, K: number): boolean {
    return M >= this.tileRows && K > 0 && M * N * K >= MIN_PARALLEL_MACS;
  }

  /**
   * Wakes the workers ahead of an M×N×K product that will be split, so that they wake (~30 µs from
   * Atomics.wait) while the caller copies the operands in, and poll for the job instead of being woken
   * by it. Without a job they go back to sleep after WAKE_SPIN_MS. Workers that are calm (protocol.ts
   * CALM: the cores are all taken) are left asleep.
   */
  wake(M: number, N: number, K: number): void {
    if (!this.splits(M, N, K)) return;
    const now = clockUs();
    for (const ctl of this.controls) {
      if (Atomics.load(ctl, CALM) === 1) continue;
      Atomics.store(ctl, STAMP, now);
      Atomics.notify(ctl, SEQ);
    }
  }

  /**
   * C = op(A)·op(B) over the threads (arguments as the module's `gemm`, without the scratch). A stored B
   * is packed whole into this call's arena first (so call it inside a kernel, after the arena's reset).
   */
  gemm(a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, M: number, N: number, K: number): void {
    const k = this.wasm.exports;
    const scratch = this.arena.gemmScratch;
    // Under one tile of rows there is nothing to split (and under four `gemm` takes its unpacked small-M
    // path, which blocks would not reproduce).
    const patches = brs === PATCH_B;
    const grid = !this.splits(M, N, K) ? null : patches ? planTasks(M, N, this.threads, this.tileRows) : planPackedTasks(M, N, this.threads, this.tileRows);
    if (!grid || grid.down * grid.across < 2) {
      k.gemm(a, ars, acs, b, brs, bcs, c, M, N, K, scratch[0]);
      return;
    }
    // A stored B is packed once, here, for every thread (a few microseconds, while woken workers get going).
    const packed = patches ? 0 : this.arena.alloc(k.gemmPackedFloats(N, K));
    if (!patches) k.gemmPackWhole(b, brs, bcs, N, K, packed);
    const job = this.job;
    job.set([a, ars, acs, b, brs, bcs, c, M, N, K, grid.down, grid.cols, packed, this.tileRows]);
    this.share(GEMM_JOB, job, () => runTasks(k, this.next, job, scratch[0]));
  }

  /**
   * Runs a recurrence's row loop (row-tasks.ts) split by batch rows over the threads, each task with
   * `stride(rows)` floats of its own scratch from this call's arena; on one thread where there are too few
   * rows for two tasks of MIN_TASK_ROWS.
   */
  rows(loop: RowLoop, ptrs: readonly number[], T: number, N: number, H: number, reverse: number, stride: (rows: number) => number): void {
    const tasks = Math.max(1, Math.min(this.threads, Math.floor(N / MIN_TASK_ROWS)));
    const each = taskStride(stride(Math.ceil(N / tasks)));
    const own = this.arena.alloc(tasks * each);
    const job = this.rowJob;
    fillRowJob(job, loop, ptrs, T, N, H, reverse, tasks, own, each);
    const k = this.wasm.exports;
    if (tasks === 1) {
      Atomics.store(this.next, 0, 0);
      runRowTasks(k, this.next, job, this.arena.gemmScratch[0]);
      return;
    }
    this.share(ROW_JOB, job, () => runRowTasks(k, this.next, job, this.arena.gemmScratch[0]));
  }

  /**
   * Publishes `job` of `kind` to the workers, runs the calling thread's share (`mine`: tasks from the same
   * counter), then closes the job to workers that have not joined and waits for those that have.
   */
  private share(kind: number, job: Int32Array, mine: () => void): void {
    const seq = ++this.seq;
    Atomics.store(this.next, 0, 0);
    for (const ctl of this.controls) {
      ctl.set(job, ARGS);
      Atomics.store(ctl, KIND, kind);
      Atomics.store(ctl, JOIN, seq);
      Atomics.store(ctl, SEQ, seq);
      Atomics.store(ctl, STAMP, clockUs());
      Atomics.notify(ctl, SEQ);
    }
    mine();
    let failed = false;
    for (const ctl of this.controls) {
      // Close the job to a worker that has not joined yet; wait for one that has.
      if (Atomics.compareExchange(ctl, JOIN, seq, 0) === seq) continue;
      waitFor(ctl, DONE, seq);
      failed ||= ctl[ERR] !== 0;
    }
    if (failed) throw new Error('backend-wasm: a worker thread failed');
  }

  /** Stops and terminates the workers. */
  async stop(): Promise<void> {
    for (const ctl of this.controls) {
      Atomics.store(ctl, SEQ, -1);
      Atomics.notify(ctl, SEQ);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
