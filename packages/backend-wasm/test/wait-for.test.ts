import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canBlock, waitFor } from '../src/threads/wait-for.js';

/** A thread that stores `value` into cell[index] after `ms`, while the test's thread waits for it. */
function storeLater(cell: Int32Array, index: number, value: number, ms: number): Worker {
  const source = `
    const { workerData: { cell, index, value, ms } } = require('node:worker_threads');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    Atomics.store(cell, index, value);
    Atomics.notify(cell, index);
  `;
  return new Worker(source, { eval: true, workerData: { cell, index, value, ms } });
}

afterEach(() => vi.restoreAllMocks());

describe('waitFor', () => {
  it('may block on a Node thread', () => {
    expect(canBlock()).toBe(true);
  });

  it('sleeps in Atomics.wait where blocking is allowed', async () => {
    const cell = new Int32Array(new SharedArrayBuffer(16));
    const wait = vi.spyOn(Atomics, 'wait');
    const worker = storeLater(cell, 1, 7, 50);
    waitFor(cell, 1, 7, true);
    expect(Atomics.load(cell, 1)).toBe(7);
    expect(wait).toHaveBeenCalled();
    await worker.terminate();
  });

  it('spins without Atomics.wait where blocking is forbidden (a page main thread)', async () => {
    const cell = new Int32Array(new SharedArrayBuffer(16));
    // As on a browser's main thread: any Atomics.wait here throws.
    const wait = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    const worker = storeLater(cell, 2, 3, 50);
    const start = performance.now();
    waitFor(cell, 2, 3, false);
    expect(Atomics.load(cell, 2)).toBe(3);
    expect(performance.now() - start).toBeGreaterThan(20);
    expect(wait).not.toHaveBeenCalled();
    await worker.terminate();
  });

  it('returns at once when the value is already there', () => {
    const cell = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(cell, 1, 5);
    waitFor(cell, 1, 5, false);
    waitFor(cell, 1, 5, true);
  });

  it('detects a thread that may not block, without blocking', async () => {
    vi.resetModules();
    vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    const fresh = await import('../src/threads/wait-for.js');
    expect(fresh.canBlock()).toBe(false);
  });
});
