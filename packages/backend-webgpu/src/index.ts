/**
 * @backprop/backend-webgpu: WebGPU compute kernels for @backprop/tensor. Tensors live in GPU buffers
 * (elementwise ops with broadcasting, tiled matmul, reductions, softmax, indexing, in-place updates),
 * registered as the `webgpu` backend by one call to `useWebGpuBackend()`.
 *
 * @packageDocumentation
 */
export {
  useWebGpuBackend,
  webgpuBackendInfo,
  webgpuFallbacks,
  webgpuMemoryInfo,
  WEBGPU_BACKEND,
  type GpuLike,
  type WebGpuBackendInfo,
  type WebGpuBackendOptions,
  type WebGpuMemoryInfo,
} from './setup.js';
