import { PREEMPTED_MS } from './protocol.js';

let blockingAllowed: boolean | null = null;

/**
 * Whether this thread may block in Atomics.wait: Node's threads and Web Workers may, a page's main
 * thread may not (Atomics.wait throws a TypeError there before it looks at the value, so a call whose
 * expected value cannot match tells without ever blocking).
 */
export function canBlock(): boolean {
  if (blockingAllowed === null) {
    const probe = new Int32Array(new SharedArrayBuffer(4));
    try {
      Atomics.wait(probe, 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/**
 * Returns once `cell[index]` holds `value`. It polls for up to `spinMs` first (the wait is short: the
 * rest of one GEMM, whose share the caller has just computed, and waking from Atomics.wait costs more),
 * unless it finds itself descheduled (a gap of PREEMPTED_MS between two clock reads: other threads need
 * the cores), then sleeps in Atomics.wait where the thread may block, and otherwise keeps polling:
 * browsers forbid blocking a page's main thread, yet the kernels are synchronous. `block` is a
 * parameter so that tests can force the spin.
 */
export function waitFor(cell: Int32Array, index: number, value: number, block = canBlock(), spinMs = 0.1): void {
  let seen = Atomics.load(cell, index);
  if (seen === value) return;
  let last = performance.now();
  const until = last + spinMs;
  for (let polls = 1; seen !== value; polls++, seen = Atomics.load(cell, index)) {
    if (!block || (polls & 255) !== 0) continue;
    const now = performance.now();
    if (now > until || now - last > PREEMPTED_MS) {
      Atomics.wait(cell, index, seen);
      last = Infinity;
    } else last = now;
  }
}
