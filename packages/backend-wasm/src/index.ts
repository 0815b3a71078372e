/**
 * @backprop/backend-wasm: WebAssembly SIMD kernels for @backprop/tensor (a blocked float32 GEMM, optionally
 * threaded, elementwise ops and softmax), registered as the `wasm` backend by one call to
 * `useWasmBackend()`.
 *
 * @packageDocumentation
 */
export { useWasmBackend, wasmFallbacks, wasmMemoryBytes, WASM_BACKEND, type WasmBackendOptions } from './setup.js';
