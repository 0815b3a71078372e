// Guards the cross run itself: if the aliases in vitest.cross.config.ts ever stopped giving one shared
// @backprop/tensor instance, the suites would pass on cpu and prove nothing about wasm.
import { Generator, getBackend, listFallbacks, matmul, randn, setBackend } from '@backprop/tensor';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wasmFallbacks, wasmMemoryBytes } from '../src/index.js';

describe('the cross run', () => {
  it('has wasm active in the one tensor module every suite imports', async () => {
    expect(getBackend()).toBe('wasm');
    // tensor's own tests import '../src/index.js': that must be the very module '@backprop/tensor' gives.
    const tensorSrc = fileURLToPath(new URL('../../tensor/src/index.ts', import.meta.url));
    const viaPath = (await import(tensorSrc)) as { getBackend: unknown };
    expect(viaPath.getBackend).toBe(getBackend);
    expect(listFallbacks()).toEqual(wasmFallbacks());
    for (const k of ['matmul', 'conv2d', 'conv2dBackwardWeight', 'convTranspose2d']) expect(listFallbacks()).not.toContain(k);
  });

  it('runs matmul in wasm: the arena grows for a large product and the float32 sums differ from cpu', async () => {
    const before = await wasmMemoryBytes();
    const a = randn([300, 400], { generator: new Generator(1) });
    const b = randn([400, 500], { generator: new Generator(2) });
    const onWasm = matmul(a, b);
    expect(await wasmMemoryBytes()).toBeGreaterThan(before);
    setBackend('cpu');
    try {
      const onCpu = matmul(a, b);
      // cpu accumulates in float64: a product of 400 terms cannot agree bit for bit everywhere.
      expect(Array.from(onWasm.data)).not.toEqual(Array.from(onCpu.data));
    } finally {
      setBackend('wasm');
    }
  });
});
