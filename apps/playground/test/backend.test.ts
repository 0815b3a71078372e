import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '@backprop/tensor';
import { activateBackend, MAX_WASM_THREADS, wasmThreads } from '../src/playground/backend.js';
import { backendStatus } from '../src/playground/backend-status.js';

afterAll(() => setBackend('cpu'));

describe('wasmThreads', () => {
  it('asks for one thread per core, up to the cap, in a cross-origin isolated worker', () => {
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toBe(2);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 16 } })).toBe(MAX_WASM_THREADS);
    expect(wasmThreads({ crossOriginIsolated: true, navigator: {} })).toBe(1);
  });

  it('asks for one thread where threads cannot share memory', () => {
    expect(wasmThreads({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 8 } })).toBe(1);
    expect(wasmThreads({ navigator: { hardwareConcurrency: 8 } })).toBe(1);
    // Node, where this test runs, is not a browser page.
    expect(wasmThreads()).toBe(1);
  });
});

describe('activateBackend', () => {
  it('reports the backend and its thread count', async () => {
    expect(await activateBackend('wasm')).toEqual({ active: 'wasm', threads: 1 });
    expect(await activateBackend('cpu')).toEqual({ active: 'cpu', threads: 1 });
  });
});

describe('backendStatus', () => {
  it('says where the kernels run and on how many threads', () => {
    expect(backendStatus('wasm', 4, true)).toBe('Running on wasm, 4 threads.');
    expect(backendStatus('wasm', 1, true)).toBe('Running on wasm, 1 thread.');
    expect(backendStatus('cpu', 1, true)).toBe('Running on cpu, 1 thread.');
  });

  it('says why wasm has one thread when the page is not isolated', () => {
    expect(backendStatus('wasm', 1, false)).toBe('Running on wasm, 1 thread (the page is not cross-origin isolated).');
  });
});
