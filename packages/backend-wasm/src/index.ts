/**
 * @backprop/backend-wasm: WebAssembly SIMD kernels for @backprop/tensor (a blocked float32 GEMM, optionally
 * threaded and fused where relaxed SIMD exists, convolution, pooling, elementwise ops, reductions and softmax), registered as the `wasm` backend by one call to
 * `useWasmBackend()`.
 *
 * @packageDocumentation
 */
export {
  useWasmBackend,
  wasmBackendInfo,
  wasmFallbacks,
  wasmMemoryBytes,
  WASM_BACKEND,
  type WasmBackendInfo,
  type WasmBackendOptions,
} from './setup.js';
