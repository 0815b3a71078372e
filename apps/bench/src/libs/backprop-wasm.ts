// backprop's own workloads (libs/backprop.ts) with @backprop/backend-wasm active: the same ops, now
// dispatched to the WebAssembly SIMD kernels (GEMM, conv, elementwise, softmax; the rest falls back to
// cpu). One thread, as tfjs-backend-wasm runs here, so the two wasm columns compare like with like.
import { useWasmBackend } from '@backprop/backend-wasm';
import type { Library } from '../types.js';
import { backprop } from './backprop.js';

export const backpropWasm: Library = {
  ...backprop,
  async init() {
    await useWasmBackend({ threads: 1 });
  },
};

/** The same with two worker threads splitting the GEMM, for the two-thread figure. */
export const backpropWasm2: Library = {
  ...backprop,
  async init() {
    await useWasmBackend({ threads: 2 });
  },
};
