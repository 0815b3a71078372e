// The whole-sequence GRU on wasm (assembly/gru-sequence.ts) against the cpu kernels, forward and backward
// in both directions, including a hidden size that is not a multiple of four lanes and batches under the
// GEMM's four-row cutoff, a float64 sequence (run on cpu), and the GRU layer taking it on wasm.
import { grad } from '@backprop/autograd';
import { GRU } from '@backprop/layers';
import { Generator, gruSequence, kernelBackend, randn, setBackend, type DType, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

function inputs(T: number, N: number, H: number, dtype: DType): Tensor[] {
  const g = new Generator(T * 101 + N * 31 + H + 7);
  const r = (shape: number[], scale: number) => randn(shape, { generator: g, dtype }).mul(scale);
  return [r([T, N, 3 * H], 2), r([N, H], 1), r([3 * H, H], 0.4), r([3 * H], 0.5), r([T, N, H], 1)];
}

/** The two outputs and the gradients of Σ w·out + Σ hN² with respect to every input. */
function sequenceAndGrads([xw, h0, w, b, wOut]: Tensor[], reverse: boolean): Tensor[] {
  const loss = (x: Tensor, h: Tensor, ww: Tensor, bb: Tensor): Tensor => {
    const [out, hN] = gruSequence(x, h, ww, bb, { reverse });
    return out.mul(wOut).sum().add(hN.square().sum());
  };
  return [...gruSequence(xw, h0, w, b, { reverse }), ...grad(loss)(xw, h0, w, b)];
}

describe('gruSequence on wasm', () => {
  it('runs in wasm, forward and backward', () => {
    setBackend('wasm');
    try {
      expect(kernelBackend('gruSequence')).toBe('wasm');
      expect(wasmFallbacks()).not.toContain('gruSequenceBackward');
    } finally {
      setBackend('cpu');
    }
  });

  for (const [T, N, H] of [[5, 3, 8], [4, 5, 7], [12, 32, 64], [3, 1, 6]]) {
    for (const reverse of [false, true]) {
      it(`agrees with cpu in float32, T ${T}, N ${N}, H ${H}, reverse ${reverse}`, () => {
        const xs = inputs(T, N, H, 'float32');
        const { cpu, wasm } = onBoth(() => sequenceAndGrads(xs, reverse));
        // Gradients reach ~35 here, so small entries get an absolute tolerance: float32 rounding of the
        // wasm and cpu kernels both stay within ~5e-5 of float64 (wasm's about twice cpu's).
        for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 1e-4, 1e-4);
      });
    }
  }

  it('runs float64 on cpu, with the same values', () => {
    const xs = inputs(3, 4, 5, 'float64');
    const { cpu, wasm } = onBoth(() => sequenceAndGrads(xs, false));
    for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 0, 0);
  });

  it('is what a bidirectional two-layer GRU runs on wasm, with cpu\'s outputs and gradients', () => {
    const x = randn([6, 4, 3], { generator: new Generator(3) });
    const run = () => {
      const gru = new GRU(3, 5, { bidirectional: true, numLayers: 2, generator: new Generator(4) });
      const [out, h] = gru.call(x);
      out.square().sum().add(h.sum()).backward();
      return [out, h, ...gru.parameters().map((p) => p.grad!)];
    };
    const { cpu, wasm } = onBoth(run);
    for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 1e-4, 1e-5);
  });
});
