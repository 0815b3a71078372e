import type { Library } from './types.js';

/** Every library the harness knows, loaded lazily so a child process imports only the one it measures. */
export const LIBRARIES: Record<string, { label: string; load: () => Promise<Library> }> = {
  backprop: { label: 'backprop', load: async () => (await import('./libs/backprop.js')).backprop },
  'backprop-wasm': { label: 'backprop (wasm)', load: async () => (await import('./libs/backprop-wasm.js')).backpropWasm },
  'backprop-wasm-2t': {
    label: 'backprop (wasm, 2 threads)',
    load: async () => (await import('./libs/backprop-wasm.js')).backpropWasm2,
  },
  'tfjs-cpu': { label: 'tfjs-backend-cpu', load: async () => (await import('./libs/tfjs.js')).tfjs('cpu') },
  'tfjs-wasm': { label: 'tfjs-backend-wasm', load: async () => (await import('./libs/tfjs.js')).tfjs('wasm') },
  convnetjs: { label: 'ConvNetJS', load: async () => (await import('./libs/convnetjs.js')).convnetjs },
  brainjs: { label: 'brain.js', load: async () => (await import('./libs/brainjs.js')).brainjs },
  // Runs in Python, not through a Library: child.ts hands it to libs/pytorch.ts.
  pytorch: {
    label: 'PyTorch (CPU)',
    load: () => Promise.reject(new Error('bench: pytorch runs in Python through runPytorch, not as a Library')),
  },
};

/** backprop's own columns: ratio tables compare each of them with every peer. */
export const OURS = ['backprop', 'backprop-wasm', 'backprop-wasm-2t'];

