import { Generator, getBackend, listBackends, matmul, randn, relu, setBackend } from '@backprop/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { WASM_BACKEND, useWasmBackend, wasmFallbacks, wasmMemoryBytes } from '../src/index.js';

afterEach(() => setBackend('cpu'));

describe('useWasmBackend', () => {
  it('registers the wasm backend and activates it; setBackend(cpu) restores cpu kernels', async () => {
    await useWasmBackend();
    expect(getBackend()).toBe(WASM_BACKEND);
    expect(listBackends()).toContain('wasm');
    const a = randn([40, 30], { generator: new Generator(1) });
    const b = randn([30, 20], { generator: new Generator(2) });
    const onWasm = matmul(a, b);
    setBackend('cpu');
    expect(getBackend()).toBe('cpu');
    const onCpu = matmul(a, b);
    // The cpu kernel accumulates in float64 and the wasm GEMM in float32, so exact equality with a second
    // cpu run (and not with the wasm result) shows that the cpu kernel is back.
    expect(Array.from(matmul(a, b).data)).toEqual(Array.from(onCpu.data));
    expect(Array.from(onWasm.data)).not.toEqual(Array.from(onCpu.data));
  });

  it('can be called again and keeps one module', async () => {
    await useWasmBackend();
    const bytes = await wasmMemoryBytes();
    await useWasmBackend();
    expect(await wasmMemoryBytes()).toBe(bytes);
    expect(getBackend()).toBe('wasm');
  });

  it('lists the kernels that fall back to cpu', async () => {
    await useWasmBackend();
    const fallbacks = wasmFallbacks();
    for (const k of ['argmax', 'cumsum', 'topk']) expect(fallbacks).toContain(k);
    const own = [
      'matmul', 'add', 'mul', 'relu', 'exp', 'softmax', 'logSoftmax', 'conv2d', 'convTranspose2d', 'conv2dBackwardWeight', 'maxPool2dIndices',
      'sum', 'prod', 'max', 'min', 'windowAverage2d', 'windowAverage2dBackward', 'scatterAddPlanes',
      // The cpu loops over heap views: they read resident tensors in place (see kernels/heap-read.ts).
      'gatherPlanes', 'permute', 'slice', 'fillInPlace', 'adagradStep',
    ];
    for (const k of own) expect(fallbacks).not.toContain(k);
  });

  it('keeps its memory flat over repeated calls (the arena is reused)', async () => {
    await useWasmBackend();
    const a = randn([96, 80], { generator: new Generator(3) });
    const b = randn([80, 70], { generator: new Generator(4) });
    for (let i = 0; i < 5; i++) relu(matmul(a, b));
    const warm = await wasmMemoryBytes();
    for (let i = 0; i < 200; i++) relu(matmul(a, b));
    expect(await wasmMemoryBytes()).toBe(warm);
  });

  it('results are plain typed arrays that outlive later calls (copied out of the arena)', async () => {
    await useWasmBackend();
    const a = randn([8, 8], { generator: new Generator(5) });
    const first = matmul(a, a);
    const copy = Array.from(first.data);
    matmul(randn([200, 200]), randn([200, 200]));
    expect(first.data).toBeInstanceOf(Float32Array);
    expect(Array.from(first.data)).toEqual(copy);
  });
});
