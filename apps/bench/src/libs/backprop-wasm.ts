// backprop's own workloads (libs/backprop.ts) with @backprop/backend-wasm active: the same ops, now
// dispatched to the WebAssembly SIMD kernels (GEMM, conv, pooling, elementwise, reductions, softmax; the
// rest falls back to cpu). One thread, as tfjs-backend-wasm runs here, so the two wasm columns compare like
// with like; then two threads, and each again with relaxed SIMD's fused multiply-add in the GEMM (on by
// default from Node 22 and Chrome 114; the harness starts Node 20's child with the V8 flag for it).
import { useWasmBackend, wasmBackendInfo } from '@backprop/backend-wasm';
import type { Library } from '../types.js';
import { backprop } from './backprop.js';
import { useCompiledSteps } from './backprop-models.js';

function onWasm(threads: number, fma: boolean, compiled = false): Library {
  return {
    ...backprop,
    async init() {
      useCompiledSteps(compiled);
      await useWasmBackend({ threads, fma });
      const info = await wasmBackendInfo();
      if (fma && !info?.fma) throw new Error('this runtime has no relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)');
    },
  };
}

export const backpropWasm = onWasm(1, false);
/** The same with two worker threads splitting the GEMM, for the two-thread figure. */
export const backpropWasm2 = onWasm(2, false);
export const backpropWasmFma = onWasm(1, true);
export const backpropWasm2Fma = onWasm(2, true);
/** The relaxed-SIMD build on one thread with each training step's forward and backward pass compiled. */
export const backpropWasmFmaCompiled = onWasm(1, true, true);
/** The same on two threads: the best of both for the two-thread figures. */
export const backpropWasm2FmaCompiled = onWasm(2, true, true);
