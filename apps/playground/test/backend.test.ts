import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '@backprop/tensor';
import { activateBackend, MAX_WASM_THREADS, onCpu, wasmThreads } from '../src/playground/backend.js';
import { backendStatus } from '../src/playground/backend-status.js';
import { adapterName, webgpuAvailability } from '../src/common/backend-choice.js';

/** A WebGPU entry point whose requestAdapter resolves to `adapter` (null: none, as on a machine without a GPU). */
const gpuWith = (adapter: unknown) => ({ requestAdapter: () => Promise.resolve(adapter) });

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

  it('stays on cpu, saying why, where WebGPU has no adapter', async () => {
    setBackend('wasm');
    const status = await activateBackend('webgpu', { gpu: gpuWith(null) });
    expect(status).toMatchObject({ active: 'cpu', threads: 1 });
    expect(status.reason).toMatch(/useWebGpuBackend: no WebGPU adapter/);
    expect(getBackend()).toBe('cpu');
  });

  it('runs data set code on cpu and restores the active backend, also after a throw', () => {
    setBackend('wasm');
    expect(onCpu(() => getBackend())).toBe('cpu');
    expect(getBackend()).toBe('wasm');
    expect(() => onCpu(() => { throw new Error('boom'); })).toThrow('boom');
    expect(getBackend()).toBe('wasm');
    setBackend('cpu');
  });
});

describe('webgpuAvailability', () => {
  it('names the adapter: its description, else vendor and architecture', async () => {
    expect(await webgpuAvailability(gpuWith({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } }))).toEqual({ available: true, adapter: 'google swiftshader' });
    expect(await webgpuAvailability(gpuWith({ info: { vendor: 'nvidia', description: 'NVIDIA H200' } }))).toEqual({ available: true, adapter: 'NVIDIA H200' });
    expect(adapterName({})).toBe('an unnamed adapter');
  });

  it('says why webgpu cannot be offered', async () => {
    expect(await webgpuAvailability(undefined)).toEqual({ available: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' });
    expect(await webgpuAvailability(gpuWith(null))).toEqual({ available: false, reason: 'navigator.gpu gives no adapter (no GPU that WebGPU can use)' });
    const failing = { requestAdapter: () => Promise.reject(new Error('blocked by policy')) };
    expect(await webgpuAvailability(failing)).toEqual({ available: false, reason: 'requesting a WebGPU adapter failed: blocked by policy' });
  });
});

describe('backendStatus', () => {
  it('says where the kernels run and on how many threads', () => {
    expect(backendStatus('wasm', 4, true)).toBe('Running on wasm, 4 threads.');
    expect(backendStatus('wasm', 1, true)).toBe('Running on wasm, 1 thread.');
    expect(backendStatus('cpu', 1, true)).toBe('Running on cpu, 1 thread.');
    expect(backendStatus('webgpu', 1, true, 'google swiftshader')).toBe('Running on webgpu, adapter: google swiftshader.');
  });

  it('says why wasm has one thread when the page is not isolated', () => {
    expect(backendStatus('wasm', 1, false)).toBe('Running on wasm, 1 thread (the page is not cross-origin isolated).');
  });
});
