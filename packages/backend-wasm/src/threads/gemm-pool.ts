import type { Arena } from '../arena.js';
import { CONTROL_BYTES } from '../arena.js';
import type { KernelModule } from '../wasm-module.js';
import { WORKER_SOURCE } from './worker-source.js';

const SEQ = 0;
const DONE = 1;
const ERR = 2;
const ARGS = 4;
/** Rows of one microkernel tile: row panels are cut at multiples of it so no tile is split. */
const MR = 4;
// Below this many multiply-adds, waking the workers (tens of microseconds) costs more than it saves.
const MIN_PARALLEL_MACS = 1 << 21;

interface NodeWorker {
  once(event: 'message' | 'error', listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** `node:worker_threads`' Worker, or null outside Node (browsers run single-threaded). */
async function workerClass(): Promise<(new (source: string, options: object) => NodeWorker) | null> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode || typeof SharedArrayBuffer === 'undefined') return null;
  const threads = await import('node:worker_threads');
  return threads.Worker as unknown as new (source: string, options: object) => NodeWorker;
}

/**
 * Splits each large GEMM into row panels of C computed at once by the main thread and `workers` worker
 * threads over one shared WebAssembly memory. The main thread blocks in Atomics.wait until the workers
 * are done, so the kernel stays synchronous like every other kernel (allowed on Node's main thread).
 */
export class GemmPool {
  private seq = 0;

  private constructor(
    private readonly wasm: KernelModule,
    private readonly arena: Arena,
    private readonly workers: NodeWorker[],
    private readonly controls: Int32Array[],
  ) {}

  /** Starts `workers` threads (resolving once each has instantiated the module), or null without Node. */
  static async start(wasm: KernelModule, arena: Arena, workers: number): Promise<GemmPool | null> {
    const Worker = await workerClass();
    if (!Worker) return null;
    const started: NodeWorker[] = [];
    const controls: Int32Array[] = [];
    for (let w = 0; w < workers; w++) {
      const control = arena.control + w * CONTROL_BYTES;
      controls.push(new Int32Array(wasm.memory.buffer, control, CONTROL_BYTES / 4));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: wasm.module, memory: wasm.memory, control } });
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      // Idle workers sleep in Atomics.wait; unref lets the process exit without terminating them.
      worker.unref();
      started.push(worker);
    }
    return new GemmPool(wasm, arena, started, controls);
  }

  /** Total threads, the main one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** C = op(A)·op(B) over the threads (arguments as the module's `gemm`, without the scratch). */
  gemm(a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, M: number, N: number, K: number): void {
    const gemm = this.wasm.exports.gemm;
    const panels = Math.min(this.threads, Math.ceil(M / MR));
    if (panels < 2 || M * N * K < MIN_PARALLEL_MACS) {
      gemm(a, ars, acs, b, brs, bcs, c, M, N, K, this.arena.gemmScratch[0]);
      return;
    }
    const rows = Math.ceil(M / panels / MR) * MR;
    const seq = ++this.seq;
    const busy: Int32Array[] = [];
    for (let p = 1; p < panels; p++) {
      const m0 = p * rows;
      const m = Math.min(rows, M - m0);
      if (m <= 0) break;
      const ctl = this.controls[p - 1];
      ctl.set([a + m0 * ars * 4, ars, acs, b, brs, bcs, c + m0 * N * 4, m, N, K, this.arena.gemmScratch[p]], ARGS);
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
      busy.push(ctl);
    }
    gemm(a, ars, acs, b, brs, bcs, c, Math.min(rows, M), N, K, this.arena.gemmScratch[0]);
    let failed = false;
    for (const ctl of busy) {
      for (let done = Atomics.load(ctl, DONE); done !== seq; done = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, done);
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
