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
 * Returns once `cell[index]` holds `value`. It sleeps in Atomics.wait where the thread may block, and
 * otherwise spins on Atomics.load: browsers forbid blocking a page's main thread, yet the kernels are
 * synchronous, and the wait is short (the rest of one GEMM, whose slice the caller has just computed).
 * `block` is a parameter so that tests can force the spin.
 */
export function waitFor(cell: Int32Array, index: number, value: number, block = canBlock()): void {
  for (let seen = Atomics.load(cell, index); seen !== value; seen = Atomics.load(cell, index)) {
    if (block) Atomics.wait(cell, index, seen);
  }
}
