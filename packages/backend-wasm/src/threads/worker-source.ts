/**
 * The GEMM worker, as source for `new Worker(source, { eval: true })`: shipping it as a string keeps the
 * package one bundle with no worker file to locate next to dist. Each worker instantiates the shared-
 * memory module over the main thread's memory and sleeps in Atomics.wait on its control block until the
 * main thread bumps the sequence number, then runs `gemm` on its rows and publishes the number as done.
 *
 * Control block (int32): [0] sequence (−1 = stop), [1] done sequence, [2] error flag, [4..14] gemm args.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('backend-wasm: the kernels module aborted'); } },
});
const gemm = instance.exports.gemm;
const ctl = new Int32Array(memory.buffer, control, 16);
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (seen < 0) break;
  try {
    gemm(ctl[4], ctl[5], ctl[6], ctl[7], ctl[8], ctl[9], ctl[10], ctl[11], ctl[12], ctl[13], ctl[14]);
    Atomics.store(ctl, 2, 0);
  } catch (err) {
    Atomics.store(ctl, 2, 1);
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;
