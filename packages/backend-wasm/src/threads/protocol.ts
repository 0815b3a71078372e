import { JOB_SLOTS, runTasks } from './gemm-tasks.js';
import { ROW_JOB_SLOTS, runRowTasks } from './row-tasks.js';

/**
 * What the calling thread and each GEMM worker share: one control block of int32 slots per worker in the
 * shared memory, one block holding the task counter, and the worker's loop, as source. Node's and the browser's
 * worker sources differ only in how the module, memory and block offsets arrive; keeping the layout and
 * the loop here keeps them in step.
 */

/** The sequence the worker should run next (−1 = stop). */
export const SEQ = 0;
/** The last sequence the worker finished. */
export const DONE = 1;
/** 1 if the last run threw. */
export const ERR = 2;
/**
 * The join handshake of the current sequence s: the caller stores s here before publishing s in SEQ; a
 * worker that wakes takes the job by swapping s for −s, or skips it if the caller has already closed it
 * (swapped s for 0 once its own tasks were done, so that it never waits for a worker still asleep).
 */
export const JOIN = 3;
/**
 * 1 while the worker sleeps right after its jobs (it found the cores all taken, CALM_MS): the caller then
 * does not wake it ahead of a job, since every wake-up there may take the calling thread's core.
 */
export const CALM = 29;
/** What the current job is: GEMM_JOB (blocks of C, runTasks) or ROW_JOB (a recurrence's rows, runRowTasks). */
export const KIND = 30;
export const GEMM_JOB = 0;
export const ROW_JOB = 1;
/** The caller's clock (µs, wrapping int32) when it last notified the worker (a job or a wake-up). */
export const STAMP = 31;
/** The first of the JOB_SLOTS job values (runTasks). */
export const ARGS = 4;
/** Int32 slots of one control block (CONTROL_BYTES / 4 in arena.ts). */
export const CONTROL_SLOTS = 32;

/** The counter block's slot holding how many blocks of C the threads have taken (gemm-tasks.ts). */
export const NEXT = 0;

/**
 * How long a worker keeps polling its control block after a job before it sleeps in Atomics.wait (the
 * next product of a batched matmul comes microseconds later), and how long it polls once woken ahead of
 * a job (GemmPool.wake, while the caller copies the operands in): waking a sleeping thread with
 * Atomics.notify takes ~30 µs, a good part of a mid-sized product's share. A poller that finds itself
 * descheduled (PREEMPTED_MS between two looks at the clock: the machine has more runnable threads than
 * cores) sleeps at once instead, since there polling only takes time from the calling thread.
 */
export const SPIN_MS = 0.05;
/** How long a worker woken ahead of a job polls for it (it stops as soon as the job comes). */
export const WAKE_SPIN_MS = 0.5;
/**
 * A wake-up that came LATE_MS (ms) after the caller's notify, or a poller descheduled for PREEMPTED_MS,
 * means the machine has no idle core (other processes run): the worker then sleeps at once after its
 * jobs and wake-ups for CALM_MS, since its polling would only take time from the calling thread. Both are
 * well above what an idle machine shows: in a virtual machine, waking a thread whose CPU the host has
 * halted took 0.25–1 ms (2-vCPU KVM guest), and the host's interrupts leave gaps of tens of microseconds.
 */
export const LATE_MS = 2;
export const CALM_MS = 100;
/** A gap between two of a poller's clock reads that means it was descheduled (wait-for.ts, WORKER_LOOP). */
export const PREEMPTED_MS = 0.5;

/**
 * What a worker needs to join: the compiled module, the shared memory, and byte offsets of its control
 * block, of the shared task counter's block and of its own GEMM packing scratch.
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
 * module over the shared memory, calls `ready()`, then waits until the sequence changes (polling for
 * SPIN_MS, then asleep in Atomics.wait, allowed in every worker, and polling for WAKE_SPIN_MS again
 * when woken without a job), joins the job unless the caller has
 * closed it, runs its tasks from the shared counter (runTasks, embedded as source so the calling thread
 * and the workers run one definition) and publishes the sequence as done.
 * Plain script, no imports: it is evaluated as a string in both hosts.
 */
export const WORKER_LOOP = `
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('backend-wasm: the kernels module aborted'); } },
});
const kernels = instance.exports;
const runTasks = ${runTasks.toString()};
const runRowTasks = ${runRowTasks.toString()};
const ctl = new Int32Array(memory.buffer, control, ${CONTROL_SLOTS});
const job = ctl.subarray(${ARGS}, ${ARGS + JOB_SLOTS});
const rowJob = ctl.subarray(${ARGS}, ${ARGS + ROW_JOB_SLOTS});
const next = new Int32Array(memory.buffer, counter + ${NEXT * 4}, 1);
ready();
const clockUs = () => ((performance.timeOrigin + performance.now()) * 1000) | 0;
let seen = 0;
// Until then (performance.now()) the worker sleeps right after a job or a wake-up instead of polling.
let calmUntil = 0;
for (;;) {
  let seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) {
    let last = performance.now();
    Atomics.store(ctl, ${CALM}, last < calmUntil ? 1 : 0);
    let until = last < calmUntil ? 0 : last + ${SPIN_MS};
    for (let polls = 1; (seq = Atomics.load(ctl, ${SEQ})) === seen; polls++) {
      if ((polls & 255) !== 0) continue;
      const now = performance.now();
      if (now - last > ${PREEMPTED_MS}) {
        calmUntil = now + ${CALM_MS};
        Atomics.store(ctl, ${CALM}, 1);
      }
      if (now > until || now - last > ${PREEMPTED_MS}) {
        Atomics.wait(ctl, ${SEQ}, seen);
        last = performance.now();
        // A wake-up that took long after the caller's notify (stamped just before it) means every core
        // was taken: polling would only slow the caller down for a while.
        if (((clockUs() - Atomics.load(ctl, ${STAMP})) | 0) > ${LATE_MS * 1000}) {
          calmUntil = last + ${CALM_MS};
          Atomics.store(ctl, ${CALM}, 1);
        }
        // Woken without a job (GemmPool.wake, ahead of one): poll for it.
        until = last < calmUntil ? 0 : last + ${WAKE_SPIN_MS};
      } else last = now;
    }
  }
  seen = seq;
  if (seen < 0) break;
  if (Atomics.compareExchange(ctl, ${JOIN}, seen, -seen) !== seen) continue;
  try {
    if (Atomics.load(ctl, ${KIND}) === ${ROW_JOB}) runRowTasks(kernels, next, rowJob, scratch);
    else runTasks(kernels, next, job, scratch);
    Atomics.store(ctl, ${ERR}, 0);
  } catch (err) {
    Atomics.store(ctl, ${ERR}, 1);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;
