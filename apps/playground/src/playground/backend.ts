// Switches the worker between the cpu kernels and @backprop/backend-wasm. The wasm module is compiled on
// first use only (a page that never asks for wasm never loads it), and a browser that cannot compile it
// (no WebAssembly SIMD) keeps training on cpu, with the reason reported to the page.
import { setBackend } from '@backprop/tensor';
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

let wasmLoad: Promise<number> | null = null;

/** The backend now active after asking for `requested`, the threads it uses, and why it differs when it does. */
export async function activateBackend(requested: BackendName): Promise<{ active: BackendName; threads: number; reason?: string }> {
  if (requested === 'cpu') {
    setBackend('cpu');
    return { active: 'cpu', threads: 1 };
  }
  wasmLoad ??= import('@backprop/backend-wasm').then(({ useWasmBackend }) => useWasmBackend({ threads: wasmThreads() }));
  try {
    const threads = await wasmLoad;
    setBackend('wasm');
    return { active: 'wasm', threads };
  } catch (error) {
    wasmLoad = null;
    setBackend('cpu');
    return { active: 'cpu', threads: 1, reason: error instanceof Error ? error.message : String(error) };
  }
}
