import type { Arena } from '../arena.js';
import { CONTROL_BYTES } from '../arena.js';
import type { KernelModule } from '../wasm-module.js';
import { planTasks, runTasks } from './gemm-tasks.js';
import { ARGS, DONE, ERR, NEXT, SEQ } from './protocol.js';
import { threadStarter, type GemmThread } from './spawn.js';
import { waitFor } from './wait-for.js';

// Below this many multiply-adds, waking the workers costs more than it saves: in the benchmark harness two
// threads ran matmul 128 (2²¹ multiply-adds) at 19 GFLOPS against one thread's 28, and 256 (2²⁴) at 30
// against 26.
const MIN_PARALLEL_MACS = 1 << 23;

/**
 * Splits each large GEMM into blocks of C (gemm-tasks.ts) that the calling thread and `workers` worker
 * threads take from a shared counter, over one shared WebAssembly memory (worker_threads in Node, Web
 * Workers in a cross-origin isolated page). The calling thread waits until the workers are done
 * (wait-for.ts: it blocks where allowed and spins on a page's main thread), so the kernel stays
 * synchronous like every other kernel.
 */
export class GemmPool {
  private seq = 0;
  /** Rows of the module's microkernel tile: row blocks are cut at multiples of it. */
  private readonly tileRows: number;
  /** The shared block counter (slot NEXT of the first control block). */
  private readonly next: Int32Array;

  private constructor(
    private readonly wasm: KernelModule,
    private readonly arena: Arena,
    private readonly workers: GemmThread[],
    private readonly controls: Int32Array[],
  ) {
    this.tileRows = wasm.exports.gemmTileRows();
    this.next = new Int32Array(wasm.memory.buffer, arena.control + NEXT * 4, 1);
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
    for (let w = 0; w < workers; w++) {
      const control = arena.control + w * CONTROL_BYTES;
      controls.push(new Int32Array(wasm.memory.buffer, control, CONTROL_BYTES / 4));
      const counter = arena.control + NEXT * 4;
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

  /** C = op(A)·op(B) over the threads (arguments as the module's `gemm`, without the scratch). */
  gemm(a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, M: number, N: number, K: number): void {
    const { gemm, gemmBlock } = this.wasm.exports;
    const scratch = this.arena.gemmScratch;
    // Under one tile of rows there is nothing to split (and under four `gemm` takes its unpacked small-M
    // path, which blocks would not reproduce).
    const grid = M < this.tileRows || M * N * K < MIN_PARALLEL_MACS ? null : planTasks(M, N, this.threads, this.tileRows);
    const blocks = grid ? grid.down * grid.across : 1;
    if (!grid || blocks < 2) {
      gemm(a, ars, acs, b, brs, bcs, c, M, N, K, scratch[0]);
      return;
    }
    const job = Int32Array.of(a, ars, acs, b, brs, bcs, c, M, N, K, grid.rows, grid.cols);
    const seq = ++this.seq;
    Atomics.store(this.next, 0, 0);
    const busy = this.controls.slice(0, Math.min(this.workers.length, blocks - 1));
    for (const ctl of busy) {
      ctl.set(job, ARGS);
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    }
    runTasks(gemmBlock, this.next, job, scratch[0]);
    let failed = false;
    for (const ctl of busy) {
      waitFor(ctl, DONE, seq);
      failed ||= ctl[ERR] !== 0;
    }
    if (failed) throw new Error('backend-wasm: a GEMM worker thread failed');
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
