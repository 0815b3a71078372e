// The fused LSTM cell on wasm (assembly/lstm-cell.ts) against the cpu kernels, forward and backward,
// including rows whose hidden size is not a multiple of four lanes and a float64 cell (run on cpu).
import { grad } from '@backprop/autograd';
import { Generator, kernelBackend, lstmCell, randn, setBackend, type DType, type Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

function inputs(N: number, H: number, dtype: DType): Tensor[] {
  const g = new Generator(N * 31 + H);
  return [randn([N, 4 * H], { generator: g, dtype }).mul(3), randn([N, H], { generator: g, dtype }), randn([N, H], { generator: g, dtype })];
}

/** h', c' and the gradients of Σ w·h' + Σ c'² with respect to the gates and c. */
function cellAndGrads([gates, c, w]: Tensor[]): Tensor[] {
  const [h, cn] = lstmCell(gates, c);
  const [dGates, dC] = grad((x: Tensor, y: Tensor) => {
    const [h1, c1] = lstmCell(x, y);
    return h1.mul(w).sum().add(c1.square().sum());
  })(gates, c);
  return [h, cn, dGates, dC];
}

describe('lstmCell on wasm', () => {
  it('runs in wasm, forward and backward', () => {
    setBackend('wasm');
    try {
      expect(kernelBackend('lstmCell')).toBe('wasm');
      expect(wasmFallbacks()).not.toContain('lstmCellBackward');
    } finally {
      setBackend('cpu');
    }
  });

  for (const [N, H] of [[3, 8], [5, 7], [32, 64]]) {
    it(`agrees with cpu in float32, N ${N}, H ${H}`, () => {
      const xs = inputs(N, H, 'float32');
      const { cpu, wasm } = onBoth(() => cellAndGrads(xs));
      for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 1e-5, 1e-6);
    });
  }

  it('runs float64 on cpu, with the same values', () => {
    const xs = inputs(4, 5, 'float64');
    const { cpu, wasm } = onBoth(() => cellAndGrads(xs));
    for (let k = 0; k < cpu.length; k++) expectClose(wasm[k], cpu[k], 0, 0);
  });
});
