import { listFallbacks, registerDeviceKernel, registerDeviceMemory, setBackend, TensorError, type DeviceKernel } from '@backprop/tensor';
import { WebGpuRuntime } from './runtime.js';
import { activationGradKernel, binaryKernel, BINARY_OPS, castKernel, GRAD_OPS, unaryKernel, UNARY_OPS, whereKernel } from './kernels/elementwise.js';
import { conv2dBackwardWeightKernel, conv2dKernel, convTranspose2dKernel } from './kernels/conv.js';
import { inPlaceKernels } from './kernels/in-place.js';
import { gatherKernel, indexSelectKernel, oneHotKernel, scatterAddKernel } from './kernels/indexing.js';
import { concatKernel, expandKernel, flipKernel, padKernel, permuteKernel, sliceKernel } from './kernels/layout.js';
import { matmulKernel } from './kernels/matmul.js';
import { optimizerStepKernel, OPTIMIZER_STEPS } from './kernels/optimizer-steps.js';
import { cdistKernel } from './kernels/distance.js';
import {
  gruSequenceBackwardKernel, gruSequenceKernel, lstmCellBackwardKernel, lstmCellKernel, lstmSequenceBackwardKernel, lstmSequenceKernel,
} from './kernels/recurrent.js';
import { bincountKernel, histcKernel, searchsortedKernel } from './kernels/search-count.js';
import { argsortKernel, topkKernel } from './kernels/sort.js';
import { adaptiveMaxPool2dIndicesKernel, gatherPlanesKernel, maxPool2dIndicesKernel, scatterAddPlanesKernel, windowAverageKernel } from './kernels/pool.js';
import { runningExtremumKernel, scanKernel } from './kernels/scan.js';
import { resampleAxisKernel } from './kernels/resample.js';
import { linalgCholeskyKernel, linalgDetKernel, linalgInvKernel, linalgQrKernel, linalgSolveKernel } from './kernels/linalg.js';
import { linalgEighKernel, linalgSvdKernel } from './kernels/linalg-jacobi.js';
import { argReduceKernel, reduceKernel, REDUCE_OPS, softmaxKernel } from './kernels/reduce.js';
import { WEBGPU_BACKEND } from './kernels/util.js';

export { WEBGPU_BACKEND };

/** What `navigator.gpu` is: the one method the backend calls on it. */
export interface GpuLike {
  /** Resolves to a `GPUAdapter`, or null where the platform has none. */
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<unknown>;
}

/** Options of `useWebGpuBackend`. */
export interface WebGpuBackendOptions {
  /**
   * The WebGPU entry point to request an adapter from. Default: `navigator.gpu` in browsers and workers;
   * in Node, `create([])` of the `webgpu` package (Dawn), which must then be installed.
   */
  gpu?: GpuLike;
  /** Passed to `requestAdapter`: which GPU to prefer where there are several. */
  powerPreference?: 'low-power' | 'high-performance';
  /**
   * Most bytes of released buffers kept for reuse (default 256 MiB). Released buffers are pooled by size,
   * so a loop whose shapes repeat allocates nothing after its first step; past the cap they are destroyed.
   */
  poolBytes?: number;
}

/** The adapter `useWebGpuBackend` runs on: see `webgpuBackendInfo()`. */
export interface WebGpuBackendInfo {
  /** The GPU's vendor, as `GPUAdapterInfo` names it (e.g. 'google' for SwiftShader). */
  vendor: string;
  /** Its architecture (e.g. 'swiftshader'), where the platform tells. */
  architecture: string;
  /** The device's identifier, where the platform tells. */
  device: string;
  /** A human-readable description of the adapter, where the platform gives one. */
  description: string;
}

/** Counts of the backend's buffer pool (see `webgpuMemoryInfo()`). */
export interface WebGpuMemoryInfo {
  /** Buffers created on the device since the backend started: grows only while shapes are new. */
  created: number;
  /** Buffers handed out and not yet returned: those of live tensors. */
  inUse: number;
  /** Buffers waiting in the pool to be reused. */
  pooled: number;
  /** Their bytes. */
  pooledBytes: number;
}

interface Loaded {
  runtime: WebGpuRuntime;
  info: WebGpuBackendInfo;
  /** Held so that Dawn's instance and adapter live as long as the device (Node frees them when collected). */
  gpu: GpuLike;
  adapter: GPUAdapter;
}

let current: Loaded | null = null;

async function defaultGpu(): Promise<GpuLike | null> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  // A variable keeps bundlers from resolving the Node-only binding into browser builds.
  const name = 'webgpu';
  try {
    const dawn = (await import(/* @vite-ignore */ name)) as { create(flags: string[]): GpuLike };
    return dawn.create([]);
  } catch (error) {
    throw new TensorError('useWebGpuBackend', `in Node the 'webgpu' package provides WebGPU: npm i webgpu (${(error as Error).message})`);
  }
}

function kernels(rt: WebGpuRuntime): Record<string, DeviceKernel> {
  const table: Record<string, DeviceKernel> = {};
  for (const op of BINARY_OPS) table[op] = binaryKernel(rt, op);
  for (const op of UNARY_OPS) table[op] = unaryKernel(rt, op);
  for (const op of GRAD_OPS) table[op] = activationGradKernel(rt, op);
  for (const op of REDUCE_OPS) table[op] = reduceKernel(rt, op);
  table.argmax = argReduceKernel(rt, 'argmax');
  table.argmin = argReduceKernel(rt, 'argmin');
  table.softmax = softmaxKernel(rt, false);
  table.logSoftmax = softmaxKernel(rt, true);
  table.cast = castKernel(rt);
  table.where = whereKernel(rt);
  table.permute = permuteKernel(rt);
  table.expand = expandKernel(rt);
  table.slice = sliceKernel(rt);
  table.flip = flipKernel(rt);
  table.pad = padKernel(rt);
  table.concat = concatKernel(rt);
  table.matmul = matmulKernel(rt);
  // addmm: the product, then the add kernel on it, so the values are matmul-then-add's (the product's
  // buffer goes back to the pool when it is collected, or at the end of a device scope).
  table.addmm = ([bias, a, b], attrs) => {
    const product = table.matmul([a, b], attrs);
    return table.add([product, bias], { shape: product.shape, dtype: product.dtype });
  };
  table.gather = gatherKernel(rt);
  table.scatterAdd = scatterAddKernel(rt);
  table.indexSelect = indexSelectKernel(rt);
  table.oneHot = oneHotKernel(rt);
  Object.assign(table, inPlaceKernels(rt));
  for (const name of OPTIMIZER_STEPS) table[name] = optimizerStepKernel(rt, name);
  table.conv2d = conv2dKernel(rt);
  table.convTranspose2d = convTranspose2dKernel(rt);
  table.conv2dBackwardWeight = conv2dBackwardWeightKernel(rt);
  table.windowAverage2d = windowAverageKernel(rt, false);
  table.windowAverage2dBackward = windowAverageKernel(rt, true);
  table.maxPool2dIndices = maxPool2dIndicesKernel(rt);
  table.adaptiveMaxPool2dIndices = adaptiveMaxPool2dIndicesKernel(rt);
  table.gatherPlanes = gatherPlanesKernel(rt);
  table.scatterAddPlanes = scatterAddPlanesKernel(rt);
  table.cdist = cdistKernel(rt);
  table.lstmCell = lstmCellKernel(rt);
  table.lstmCellBackward = lstmCellBackwardKernel(rt);
  table.lstmSequence = lstmSequenceKernel(rt);
  table.lstmSequenceBackward = lstmSequenceBackwardKernel(rt);
  table.gruSequence = gruSequenceKernel(rt);
  table.gruSequenceBackward = gruSequenceBackwardKernel(rt);
  table.searchsorted = searchsortedKernel(rt);
  table.bincount = bincountKernel(rt);
  table.histc = histcKernel(rt);
  table.argsort = argsortKernel(rt);
  table.topk = topkKernel(rt);
  table.cumsum = scanKernel(rt, 'cumsum');
  table.cumprod = scanKernel(rt, 'cumprod');
  table.cummaxIndices = runningExtremumKernel(rt, true);
  table.cumminIndices = runningExtremumKernel(rt, false);
  table.resampleAxis = resampleAxisKernel(rt);
  table.linalgInv = linalgInvKernel(rt);
  table.linalgDet = linalgDetKernel(rt);
  table.linalgSolve = linalgSolveKernel(rt);
  table.linalgCholesky = linalgCholeskyKernel(rt);
  table.linalgQr = linalgQrKernel(rt);
  table.linalgSvd = linalgSvdKernel(rt);
  table.linalgEigh = linalgEighKernel(rt);
  return table;
}

function describe(adapter: GPUAdapter): WebGpuBackendInfo {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
  };
}

/**
 * Requests a WebGPU adapter and device, registers the `webgpu` backend (its memory and kernels) and makes
 * it the active backend. Tensors made by ops then live in GPU buffers: read them with `await t.read()`
 * (`dataSync()` throws, since a GPU cannot be read synchronously). Host tensors passed to ops are
 * uploaded. Kernels it lacks fall back to `cpu` only for host inputs; on device tensors they throw,
 * naming the kernel (see `webgpuFallbacks()`). Keeps float32, int32 and bool tensors (no float64).
 * Calling it again reuses the device unless `gpu` is given, which starts a new one (tensors left on the
 * previous device cannot be used with it).
 *
 * @throws TensorError "no WebGPU adapter" where the platform offers none.
 * @example
 * import { matmul, randn } from '@backprop/tensor';
 * import { useWebGpuBackend } from '@backprop/backend-webgpu';
 *
 * await useWebGpuBackend();
 * const y = matmul(randn([256, 512]), randn([512, 128])); // runs on the GPU
 * console.log((await y.read()).length); // 32768
 */
export async function useWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackendInfo> {
  if (!current || current.runtime.lost || options.gpu) {
    const gpu = options.gpu ?? (await defaultGpu());
    const adapter = gpu ? ((await gpu.requestAdapter({ powerPreference: options.powerPreference })) as GPUAdapter | null) : null;
    if (!adapter) {
      throw new TensorError(
        'useWebGpuBackend',
        'no WebGPU adapter: this platform offers no GPU to WebGPU (in Node without a GPU, SwiftShader serves: see the README of @backprop/backend-webgpu)',
      );
    }
    // The default limits cap a binding at 128 MiB; ask for what the adapter has, so large tensors fit.
    const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
    const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
    const runtime = new WebGpuRuntime(device, options.poolBytes ?? 256 * 1024 * 1024);
    void device.lost.then(() => {
      runtime.lost = true;
    });
    current?.runtime.destroy();
    current = { runtime, info: describe(adapter), gpu: gpu!, adapter };
    registerDeviceMemory<GPUBuffer>(WEBGPU_BACKEND, {
      upload: (data, dtype) => runtime.upload(data, dtype),
      read: (buffer, dtype, size) => runtime.read(buffer, dtype, size),
      release: (buffer) => runtime.release(buffer),
    });
    for (const [name, kernel] of Object.entries(kernels(runtime))) registerDeviceKernel(WEBGPU_BACKEND, name, kernel);
  }
  setBackend(WEBGPU_BACKEND);
  return current.info;
}

/**
 * The adapter the backend runs on, or null before `useWebGpuBackend`.
 *
 * @example
 * await useWebGpuBackend();
 * webgpuBackendInfo()?.description; // e.g. 'SwiftShader driver 5.0.0'
 */
export function webgpuBackendInfo(): WebGpuBackendInfo | null {
  return current ? { ...current.info } : null;
}

/**
 * Kernel names the `cpu` backend has and `webgpu` lacks. They run on `cpu` for host inputs; given tensors
 * on the GPU they throw (a GPU cannot be read synchronously), naming the kernel.
 *
 * @example
 * await useWebGpuBackend();
 * webgpuFallbacks().includes('matmul'); // false
 */
export function webgpuFallbacks(): string[] {
  return listFallbacks(WEBGPU_BACKEND);
}

/**
 * Counts of the backend's buffer pool: buffers created so far, in use, and pooled for reuse (with their
 * bytes); all zero before `useWebGpuBackend`. In a loop whose shapes repeat, `created` stops growing.
 *
 * @example
 * await useWebGpuBackend();
 * webgpuMemoryInfo().created; // buffers allocated on the device so far
 */
export function webgpuMemoryInfo(): WebGpuMemoryInfo {
  return current ? current.runtime.stats() : { created: 0, inUse: 0, pooled: 0, pooledBytes: 0 };
}
