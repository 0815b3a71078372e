import type { Library } from './types.js';

// Node 20 has relaxed SIMD only behind this V8 flag; from Node 22 it is on by default.
const RELAXED_SIMD = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [];

/** Every library the harness knows, loaded lazily so a child process imports only the one it measures. */
export const LIBRARIES: Record<string, { label: string; load: () => Promise<Library>; nodeFlags?: string[] }> = {
  backprop: { label: 'backprop', load: async () => (await import('./libs/backprop.js')).backprop },
  'backprop-wasm': { label: 'backprop (wasm)', load: async () => (await import('./libs/backprop-wasm.js')).backpropWasm },
  'backprop-wasm-2t': {
    label: 'backprop (wasm, 2 threads)',
    load: async () => (await import('./libs/backprop-wasm.js')).backpropWasm2,
  },
  'backprop-wasm-fma': {
    label: 'backprop (wasm, relaxed SIMD)',
    load: async () => (await import('./libs/backprop-wasm.js')).backpropWasmFma,
    nodeFlags: RELAXED_SIMD,
  },
  'backprop-wasm-2t-fma': {
    label: 'backprop (wasm, relaxed SIMD, 2 threads)',
    load: async () => (await import('./libs/backprop-wasm.js')).backpropWasm2Fma,
    nodeFlags: RELAXED_SIMD,
  },
  'backprop-wasm-fma-compiled': {
    label: 'backprop (wasm, relaxed SIMD, compiled step)',
    load: async () => (await import('./libs/backprop-wasm.js')).backpropWasmFmaCompiled,
    nodeFlags: RELAXED_SIMD,
  },
  'backprop-wasm-2t-fma-compiled': {
    label: 'backprop (wasm, relaxed SIMD, 2 threads, compiled step)',
    load: async () => (await import('./libs/backprop-wasm.js')).backpropWasm2FmaCompiled,
    nodeFlags: RELAXED_SIMD,
  },
  'backprop-webgpu': { label: 'backprop (webgpu)', load: async () => (await import('./libs/backprop-webgpu.js')).backpropWebgpu },
  'tfjs-cpu': { label: 'tfjs-backend-cpu', load: async () => (await import('./libs/tfjs.js')).tfjs('cpu') },
  'tfjs-wasm': { label: 'tfjs-backend-wasm', load: async () => (await import('./libs/tfjs.js')).tfjs('wasm') },
  convnetjs: { label: 'ConvNetJS', load: async () => (await import('./libs/convnetjs.js')).convnetjs },
  brainjs: { label: 'brain.js', load: async () => (await import('./libs/brainjs.js')).brainjs },
  // Run in Python, not through a Library: child.ts hands them to libs/pytorch.ts, on 1 and on 2 threads.
  'pytorch-1t': {
    label: 'PyTorch (1 thread)',
    load: () => Promise.reject(new Error('bench: pytorch runs in Python through runPytorch, not as a Library')),
  },
  'pytorch-2t': {
    label: 'PyTorch (2 threads)',
    load: () => Promise.reject(new Error('bench: pytorch runs in Python through runPytorch, not as a Library')),
  },
};

/** backprop's own columns: ratio tables compare each of them with every peer. */
export const OURS = ['backprop', 'backprop-wasm', 'backprop-wasm-2t', 'backprop-wasm-fma', 'backprop-wasm-2t-fma', 'backprop-wasm-fma-compiled', 'backprop-wasm-2t-fma-compiled', 'backprop-webgpu'];

