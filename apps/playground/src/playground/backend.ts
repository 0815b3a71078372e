// Switches the worker between the cpu kernels and @backprop/backend-wasm. The wasm module is compiled on
// first use only (a page that never asks for wasm never loads it), and a browser that cannot compile it
// (no WebAssembly SIMD) keeps training on cpu, with the reason reported to the page.
import { setBackend } from '@backprop/tensor';
import type { BackendName } from './state.js';

let wasmLoad: Promise<void> | null = null;

/** The backend now active after asking for `requested`, and why it differs when it does. */
export async function activateBackend(requested: BackendName): Promise<{ active: BackendName; reason?: string }> {
  if (requested === 'cpu') {
    setBackend('cpu');
    return { active: 'cpu' };
  }
  wasmLoad ??= import('@backprop/backend-wasm').then(async ({ useWasmBackend }) => void (await useWasmBackend()));
  try {
    await wasmLoad;
    setBackend('wasm');
    return { active: 'wasm' };
  } catch (error) {
    wasmLoad = null;
    setBackend('cpu');
    return { active: 'cpu', reason: error instanceof Error ? error.message : String(error) };
  }
}
