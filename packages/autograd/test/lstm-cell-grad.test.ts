// lstmCell's gradient: float64 finite differences, its second derivatives (the composed rule under
// createGraph), and the backward kernel against the gradient of the composed LSTM step it replaces.
import { describe, expect, it } from 'vitest';
import { Generator, lstmCell, randn, type DType, type Tensor } from '@backprop/tensor';
import { grad, gradCheck } from '../src/index.js';

const gen = new Generator(5);
const r = (shape: number[], dtype: DType = 'float64'): Tensor => randn(shape, { generator: gen, dtype }).mul(1.5);

/** The step as the layers composed it before the fused op. */
function composed(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gates.chunk(4, 1);
  const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cNext.tanh()), cNext];
}

/** A scalar reading both outputs with different weights, so each output's gradient path counts. */
const readBoth = (cell: typeof lstmCell, w: Tensor) => (gates: Tensor, c: Tensor): Tensor => {
  const [h, cn] = cell(gates, c);
  return h.mul(w).sum().add(cn.square().sum());
};

describe('lstmCell gradient', () => {
  it('passes a float64 finite-difference gradCheck (h and c read together, and each alone)', () => {
    const inputs = [r([3, 8]), r([3, 2])];
    for (const f of [
      (g: Tensor, c: Tensor) => { const [h, cn] = lstmCell(g, c); return h.add(cn.mul(3)); },
      (g: Tensor, c: Tensor) => lstmCell(g, c)[0],
      (g: Tensor, c: Tensor) => lstmCell(g, c)[1],
    ]) {
      const result = gradCheck(f, inputs);
      expect(result.ok, result.message).toBe(true);
    }
  });

  it('has correct second derivatives (the rule composes differentiable ops under createGraph)', () => {
    const w = r([2, 3]);
    const f = readBoth(lstmCell, w);
    const result = gradCheck((g: Tensor, c: Tensor) => {
      const [dg, dc] = grad(f)(g, c);
      return dg.sum().add(dc.mul(dc).sum());
    }, [r([2, 12]), r([2, 3])]);
    expect(result.ok, result.message).toBe(true);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`the backward kernel gives the composed step's gradients (${dtype})`, () => {
      const gates = r([4, 20], dtype);
      const c = r([4, 5], dtype);
      const w = r([4, 5], dtype);
      const fused = grad(readBoth(lstmCell, w))(gates, c);
      const plain = grad(readBoth(composed, w))(gates, c);
      const tol = dtype === 'float64' ? 1e-12 : 1e-5;
      for (let k = 0; k < 2; k++) {
        const a = fused[k].dataSync();
        const b = plain[k].dataSync();
        expect(fused[k].shape).toEqual(plain[k].shape);
        for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - b[j])).toBeLessThan(tol * (1 + Math.abs(b[j])));
      }
    });
  }
});
