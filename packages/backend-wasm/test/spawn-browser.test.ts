import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeWorker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Arena } from '../src/arena.js';
import { ARGS, CONTROL_SLOTS, DONE, ERR, JOIN, NEXT, SEQ } from '../src/threads/protocol.js';
import { startBrowserThread } from '../src/threads/spawn-browser.js';
import { waitFor } from '../src/threads/wait-for.js';
import { instantiateKernels } from '../src/wasm-module.js';

// What a classic Web Worker's global scope gives the browser source: `self` with postMessage and onmessage.
const SELF_SHIM = `
const { parentPort } = require('node:worker_threads');
globalThis.self = { postMessage: (data) => parentPort.postMessage(data), onmessage: null };
parentPort.on('message', (data) => self.onmessage && self.onmessage({ data }));
`;

/**
 * A stand-in for the DOM's Worker over worker_threads: it reads the script behind the Blob URL it is
 * given (so the test runs what a browser would load) and evaluates it after the `self` shim.
 */
class BlobWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
  private readonly thread: Promise<NodeWorker>;

  constructor(url: string) {
    const blob = resolveObjectURL(url);
    if (!blob) throw new Error(`no Blob behind ${url}`);
    this.thread = blob.text().then((source) => {
      const thread = new NodeWorker(SELF_SHIM + source, { eval: true });
      thread.on('message', (data) => this.onmessage?.({ data }));
      thread.on('error', (error) => this.onerror?.({ message: error.message, preventDefault() {} }));
      return thread;
    });
  }

  postMessage(data: unknown): void {
    void this.thread.then((t) => t.postMessage(data));
  }

  terminate(): void {
    void this.thread.then((t) => t.terminate());
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('startBrowserThread', () => {
  it('starts the Blob URL worker, which computes its GEMM rows over the shared memory', async () => {
    vi.stubGlobal('Worker', BlobWorker);
    const wasm = await instantiateKernels(true);
    const arena = new Arena(wasm, 2);
    // The counter in the second control block, as GemmPool places it after its one worker's block.
    const counter = arena.control + CONTROL_SLOTS * 4;
    const thread = startBrowserThread({ module: wasm.module, memory: wasm.memory, control: arena.control, counter, scratch: arena.gemmScratch[1] });
    await thread.ready;

    const [M, N, K] = [9, 7, 5];
    const A = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) - 5);
    const B = Float32Array.from({ length: K * N }, (_, i) => ((i * 3) % 7) - 3);
    arena.reset();
    const a = arena.put(A);
    const b = arena.put(B);
    const c = arena.alloc(M * N);
    // B packed whole, as the calling thread does before it publishes a job.
    const packed = arena.alloc(wasm.exports.gemmPackedFloats(N, K));
    wasm.exports.gemmPackWhole(b, N, 1, N, K, packed);
    const ctl = new Int32Array(wasm.memory.buffer, arena.control, CONTROL_SLOTS);
    const next = new Int32Array(wasm.memory.buffer, counter + NEXT * 4, 1);
    const publish = (seq: number) => {
      Atomics.store(next, 0, 0);
      Atomics.store(ctl, JOIN, seq);
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    };
    // A job the caller closes before the worker joins it (as GemmPool does once its own tasks are done):
    // the worker must skip it, leaving every task to the caller.
    ctl.set([a, K, 1, b, N, 1, c, M, N, K, 1, N, packed, wasm.exports.gemmTileRows()], ARGS);
    Atomics.store(ctl, JOIN, 0);
    Atomics.store(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    // Then one job of one block (rows M, cols N) from the packed B, taken from the shared counter.
    await new Promise((resolve) => setTimeout(resolve, 20));
    // A wake-up without a job (GemmPool.wake) runs nothing either.
    Atomics.notify(ctl, SEQ);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ctl[DONE]).toBe(0);
    expect(next[0]).toBe(0);
    publish(2);
    // The spin path, as a page's main thread would wait.
    waitFor(ctl, DONE, 2, false);
    expect(ctl[ERR]).toBe(0);
    expect(ctl[JOIN]).toBe(-2);
    expect(next[0]).toBeGreaterThan(0);

    const C = arena.take(c, M * N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += A[i * K + k] * B[k * N + j];
        expect(C[i * N + j]).toBe(sum);
      }
    }
    Atomics.store(ctl, SEQ, -1);
    Atomics.notify(ctl, SEQ);
    await thread.terminate();
  });

  it('rejects ready when the worker fails to start', async () => {
    vi.stubGlobal('Worker', BlobWorker);
    const wasm = await instantiateKernels(true);
    // A control block past the end of the memory: the worker throws before it reports ready.
    const control = wasm.memory.buffer.byteLength;
    const thread = startBrowserThread({ module: wasm.module, memory: wasm.memory, control, counter: control, scratch: 0 });
    await expect(thread.ready).rejects.toThrow(/GEMM worker failed to start/);
    await thread.terminate();
  });
});
