import { JOB_SLOTS, runTasks } from './gemm-tasks.js';

/**
 * What the calling thread and each GEMM worker share: one control block of int32 slots per worker in the
 * shared memory, and the worker's loop, as source. Node's and the browser's worker sources differ only in
 * how the module, memory and block offset arrive; keeping the layout and the loop here keeps them in step.
 */

/** The sequence the worker should run next (−1 = stop). */
export const SEQ = 0;
/** The last sequence the worker finished. */
export const DONE = 1;
/** 1 if the last run threw. */
export const ERR = 2;
/** In the first worker's block only: the counter every thread takes blocks of C from (gemm-tasks.ts). */
export const NEXT = 3;
/** The first of the JOB_SLOTS job values (a, ars, acs, b, brs, bcs, c, M, N, K, rows, cols; runTasks). */
export const ARGS = 4;
/** Int32 slots of one control block (CONTROL_BYTES / 4 in arena.ts). */
export const CONTROL_SLOTS = 16;

/**
 * What a worker needs to join: the compiled module, the shared memory, and byte offsets of its control
 * block, of the shared block counter and of its own GEMM packing scratch.
 */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  counter: number;
  scratch: number;
}

/**
 * The worker's body, for a scope that defines the WorkerInit fields and `ready()`: instantiates the
 * module over the shared memory, calls `ready()`, then sleeps in Atomics.wait (allowed in every worker)
 * until the sequence changes, computes blocks of C from the shared counter (runTasks, embedded as source
 * so the calling thread and the workers run one definition) and publishes the sequence as done.
 * Plain script, no imports: it is evaluated as a string in both hosts.
 */
export const WORKER_LOOP = `
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('backend-wasm: the kernels module aborted'); } },
});
const gemmBlock = instance.exports.gemmBlock;
const runTasks = ${runTasks.toString()};
const ctl = new Int32Array(memory.buffer, control, ${CONTROL_SLOTS});
const job = ctl.subarray(${ARGS}, ${ARGS + JOB_SLOTS});
const next = new Int32Array(memory.buffer, counter, 1);
ready();
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  if (seen < 0) break;
  try {
    runTasks(gemmBlock, next, job, scratch);
    Atomics.store(ctl, ${ERR}, 0);
  } catch (err) {
    Atomics.store(ctl, ${ERR}, 1);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;
