// The whole-sequence LSTM on wasm (assembly/lstm-sequence.ts) against the cpu kernels, forward and
// backward in both directions, including a hidden size that is not a multiple of four lanes and batches
// under the GEMM's four-row cutoff, a float64 sequence (run on cpu), and the LSTM layer taking it on wasm.
import { grad } from '@backprop/autograd';
import { LSTM } from '@backprop/layers';
import { Generator, kernelBackend, lstmSequence, randn, setBackend, type DType, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

function inputs(T: number, N: number, H: number, dtype: DType): Tensor[] {
  const g = new Generator(T * 101 + N * 31 + H);
  const r = (shape: number[], scale: number) => randn(shape, { generator: g, dtype }).mul(scale);
  return [r([T, N, 4 * H], 2), r([N, H], 1), r([N, H], 1), r([4 * H, H], 0.4), r([T, N, H], 1)];
}

/** The three outputs and the gradients of Σ w·out + Σ hN² + Σ cN with respect to every input. */
function sequenceAndGrads([xw, h0, c0, w, wOut]: Tensor[], reverse: boolean): Tensor[] {
  const loss = (a: Tensor, b: Tensor, c: Tensor, d: Tensor): Tensor => {
    const [out, h, cn] = lstmSequence(a, b, c, d, { reverse });
    return out.mul(wOut).sum().add(h.square().sum()).add(cn.sum());
  };
  return [...lstmSequence(xw, h0, c0, w, { reverse }), ...grad(loss)(xw, h0, c0, w)];
}

describe('lstmSequence on wasm', () => {
  it('runs in wasm, forward and backward', () => {
    setBackend('wasm');
    try {
      expect(kernelBackend('lstmSequence')).toBe('wasm');
      expect(wasmFallbacks()).not.toContain('lstmSequenceBackward');
    } finally {
      setBackend('cpu');
    }
  });

  for (const [T, N, H] of [[5, 3, 8], [4, 5, 7], [12, 32, 64], [3, 1, 6]]) {
    for (const reverse of [false, true]) {
      it(`agrees with cpu in float32, T ${T}, N ${N}, H ${H}, reverse ${reverse}`, () => {
        const xs = inputs(T, N, H, 'float32');
        const { cpu, wasm } = onBoth(() => sequenceAndGrads(xs, reverse));
        for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 1e-4, 1e-5);
      });
    }
  }

  it('runs float64 on cpu, with the same values', () => {
    const xs = inputs(3, 4, 5, 'float64');
    const { cpu, wasm } = onBoth(() => sequenceAndGrads(xs, false));
    for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 0, 0);
  });

  it('is what a bidirectional LSTM layer runs on wasm, with cpu\'s outputs and gradients', () => {
    const x = randn([6, 4, 3], { generator: new Generator(3) });
    const run = () => {
      const lstm = new LSTM(3, 5, { bidirectional: true, generator: new Generator(4) });
      const [out, [h, c]] = lstm.call(x);
      out.square().sum().add(h.sum()).add(c.sum()).backward();
      return [out, h, c, ...lstm.parameters().map((p) => p.grad!)];
    };
    const { cpu, wasm } = onBoth(run);
    for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 1e-4, 1e-5);
  });
});
