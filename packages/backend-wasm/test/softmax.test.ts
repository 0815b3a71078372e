import { Generator, cast, logSoftmax, randn, softmax, tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

describe('wasm softmax and logSoftmax agree with cpu', () => {
  it('along the last axis for odd row lengths, including 1', () => {
    for (const shape of [[1], [1, 1], [5, 1], [3, 7], [4, 64], [2, 3, 129], [17, 1000]]) {
      const x = randn(shape, { generator: new Generator(shape.length * 100 + shape[shape.length - 1]) }).mul(5);
      for (const op of [softmax, logSoftmax]) {
        const { cpu, wasm } = onBoth(() => op(x, -1));
        // log-softmax is x − logsumexp(x), a float32 difference of values up to ~20 here: its error is
        // relative to them (a few ulp of 20 ≈ 4e-6), not to the possibly tiny result.
        expectClose(wasm, cpu, 2e-6, op === logSoftmax ? 4e-6 : 1e-7);
      }
    }
    expect(wasmFallbacks()).not.toContain('softmax');
    expect(wasmFallbacks()).not.toContain('logSoftmax');
  });

  it('with masked (−∞), all-masked, NaN and huge logits', () => {
    const x = tensor([
      [1, -Infinity, 3, -Infinity, 5],
      [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
      [1, NaN, 2, 3, 4],
      [1e30, -1e30, 0, 80, 3e38],
    ]);
    for (const op of [softmax, logSoftmax]) {
      const { cpu, wasm } = onBoth(() => op(x, -1));
      expectClose(wasm, cpu, 2e-6, 1e-7);
    }
  });

  it('along other axes and in float64 through the cpu kernel', () => {
    const x = randn([6, 5, 4], { generator: new Generator(9) });
    for (const axis of [0, 1]) {
      const { cpu, wasm } = onBoth(() => softmax(x, axis));
      expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
    }
    const x64 = cast(x, 'float64');
    const r = onBoth(() => logSoftmax(x64, -1));
    expect(r.wasm.dtype).toBe('float64');
    expect(Array.from(r.wasm.data)).toEqual(Array.from(r.cpu.data));
  });
});
