// Switches a worker between the cpu kernels, @backprop/backend-wasm and @backprop/backend-webgpu. Each
// accelerated backend is loaded on first use only (a page that never asks for one never loads it), and a
// browser that cannot run it (no WebAssembly SIMD, no WebGPU adapter) keeps training on cpu, with the
// reason reported to the page.
import { getBackend, setBackend } from '@backprop/tensor';
import type { GpuLike } from '@backprop/backend-webgpu';
import { adapterName } from '../common/backend-choice.js';
import type { BackendName } from './state.js';

/**
 * The most threads wasm asks for. Each is a Web Worker sleeping between matrix products; past four, the
 * row panels of the products a playground network makes get too thin to gain from more.
 */
export const MAX_WASM_THREADS = 4;

/** The parts of the worker's global scope that decide the thread count. */
export interface ThreadsEnvironment {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

/**
 * Threads for wasm's matrix products, this worker included: one per core up to MAX_WASM_THREADS where
 * the page is cross-origin isolated (the only place browsers let threads share memory), else one.
 */
export function wasmThreads(env: ThreadsEnvironment = globalThis as ThreadsEnvironment): number {
  if (env.crossOriginIsolated !== true) return 1;
  return Math.max(1, Math.min(env.navigator?.hardwareConcurrency ?? 1, MAX_WASM_THREADS));
}

/** What a worker runs on after asking for a backend. */
export interface ActiveBackend {
  active: BackendName;
  threads: number;
  /** The WebGPU adapter's name, when `active` is webgpu. */
  adapter?: string;
  /** Why `active` differs from the backend asked for, when it does. */
  reason?: string;
}

let wasmLoad: Promise<number> | null = null;

/**
 * The backend now active after asking for `requested`, the threads it uses, and why it differs when it
 * does. `gpu` replaces `navigator.gpu` (the tests pass one without an adapter).
 */
export async function activateBackend(requested: BackendName, options: { gpu?: GpuLike } = {}): Promise<ActiveBackend> {
  try {
    if (requested === 'wasm') {
      wasmLoad ??= import('@backprop/backend-wasm').then(({ useWasmBackend }) => useWasmBackend({ threads: wasmThreads() }));
      const threads = await wasmLoad.catch((error: unknown) => {
        wasmLoad = null;
        throw error;
      });
      setBackend('wasm');
      return { active: 'wasm', threads };
    }
    if (requested === 'webgpu') {
      // In a browser the backend asks navigator.gpu; it never loads the Node-only `webgpu` package there.
      const { useWebGpuBackend } = await import('@backprop/backend-webgpu');
      const info = await useWebGpuBackend(options.gpu ? { gpu: options.gpu } : {});
      return { active: 'webgpu', threads: 1, adapter: adapterName(info) };
    }
    setBackend('cpu');
    return { active: 'cpu', threads: 1 };
  } catch (error) {
    setBackend('cpu');
    return { active: 'cpu', threads: 1, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs `make` on the cpu backend and restores the active one: data sets are drawn on the host, whatever
 * trains on them, so their values can be read synchronously (thumbnails, batches, test digits).
 */
export function onCpu<T>(make: () => T): T {
  const backend = getBackend();
  setBackend('cpu');
  try {
    return make();
  } finally {
    setBackend(backend);
  }
}
