import type { Library } from './types.js';

/** Every library the harness knows, loaded lazily so a child process imports only the one it measures. */
export const LIBRARIES: Record<string, { label: string; load: () => Promise<Library> }> = {
  backprop: { label: 'backprop', load: async () => (await import('./libs/backprop.js')).backprop },
  'tfjs-cpu': { label: 'tfjs-backend-cpu', load: async () => (await import('./libs/tfjs.js')).tfjs('cpu') },
  'tfjs-wasm': { label: 'tfjs-backend-wasm', load: async () => (await import('./libs/tfjs.js')).tfjs('wasm') },
  convnetjs: { label: 'ConvNetJS', load: async () => (await import('./libs/convnetjs.js')).convnetjs },
  brainjs: { label: 'brain.js', load: async () => (await import('./libs/brainjs.js')).brainjs },
};

export const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'convnetjs', 'brainjs'];
