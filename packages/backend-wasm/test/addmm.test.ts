// addmm on wasm: the product and the bias added before the result leaves the heap, equal bit for bit to
// wasm's own matmul then add, close to cpu's, on one thread and split over threads; float64 runs on cpu.
import { Generator, add, addmm, kernelBackend, matmul, randn, setBackend, type DType, type Tensor } from '@backprop/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});
afterAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

function operands(M: number, K: number, N: number, transB: boolean, fullBias: boolean, dtype: DType = 'float32'): Tensor[] {
  const g = new Generator(M * 7 + K * 3 + N);
  return [randn(fullBias ? [M, N] : [N], { generator: g, dtype }), randn([M, K], { generator: g, dtype }), randn(transB ? [N, K] : [K, N], { generator: g, dtype })];
}

const fused = ([bias, a, b]: Tensor[], transB: boolean) => addmm(bias, a, b, false, transB);
const unfused = ([bias, a, b]: Tensor[], transB: boolean) => add(matmul(a, b, false, transB), bias);

describe('addmm on wasm', () => {
  for (const [M, K, N, transB, fullBias] of [[64, 784, 128, true, false], [5, 7, 3, false, true], [256, 128, 64, true, false], [2, 3, 300, false, false]] as const) {
    it(`equals wasm's matmul then add bit for bit, and cpu's to float32 rounding: [${M}, ${K}]·[${K}, ${N}]${transB ? 'ᵀ' : ''}, bias ${fullBias ? 'full' : 'row'}`, () => {
      const xs = operands(M, K, N, transB, fullBias);
      setBackend('wasm');
      try {
        expect(kernelBackend('addmm')).toBe('wasm');
        expect(Array.from(fused(xs, transB).dataSync())).toEqual(Array.from(unfused(xs, transB).dataSync()));
      } finally {
        setBackend('cpu');
      }
      const { cpu, wasm } = onBoth(() => fused(xs, transB));
      expectClose(wasm, cpu, 1e-4, 1e-4);
    });
  }

  it('gives the same values on two threads (the product split) as on one', async () => {
    const xs = operands(256, 784, 128, true, false);
    await useWasmBackend({ threads: 1 });
    const single = fused(xs, true).dataSync().slice();
    expect(await useWasmBackend({ threads: 2 })).toBe(2);
    const threaded = fused(xs, true).dataSync();
    setBackend('cpu');
    expect(Array.from(threaded)).toEqual(Array.from(single));
  });

  it('runs float64 on cpu, with cpu\'s values', () => {
    const xs = operands(4, 5, 3, true, false, 'float64');
    const { cpu, wasm } = onBoth(() => fused(xs, true));
    expectClose(wasm, cpu, 0, 0);
  });
});
