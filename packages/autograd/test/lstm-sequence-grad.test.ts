// lstmSequence's gradient: float64 finite differences over every input in both directions, its second
// derivatives (the composed rule under createGraph), and the backward kernel against the gradient of the
// per-step LSTM (lstmCell and matmul) it replaces.
import { describe, expect, it } from 'vitest';
import { Generator, lstmCell, lstmSequence, matmul, narrow, randn, stack, type DType, type Tensor } from '@backprop/tensor';
import { grad, gradCheck } from '../src/index.js';

const gen = new Generator(11);
const r = (shape: number[], dtype: DType = 'float64', scale = 1): Tensor => randn(shape, { generator: gen, dtype }).mul(scale);

/** The recurrence step by step, as the LSTM layer runs it where a backend has no lstmSequence kernel. */
function perStep(xw: Tensor, h0: Tensor, c0: Tensor, w: Tensor, reverse: boolean): [Tensor, Tensor, Tensor] {
  const T = xw.shape[0];
  const hs = new Array<Tensor>(T);
  let h = h0;
  let c = c0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    [h, c] = lstmCell(narrow(xw, 0, t, 1).reshape(xw.shape.slice(1)).add(matmul(h, w, false, true)), c);
    hs[t] = h;
  }
  return [stack(hs, 0), h, c];
}

/** A scalar reading all three outputs with different weights, so each output's gradient path counts. */
const readAll = (run: typeof perStep, wOut: Tensor, reverse: boolean) => (xw: Tensor, h0: Tensor, c0: Tensor, w: Tensor): Tensor => {
  const [out, h, c] = run(xw, h0, c0, w, reverse);
  return out.mul(wOut).sum().add(h.square().sum()).add(c.mul(c.sigmoid()).sum());
};

const fused = (xw: Tensor, h0: Tensor, c0: Tensor, w: Tensor, reverse: boolean) => lstmSequence(xw, h0, c0, w, { reverse });

describe('lstmSequence gradient', () => {
  for (const reverse of [false, true]) {
    it(`passes a float64 finite-difference gradCheck for xw, h0, c0 and W_hh (reverse ${reverse})`, () => {
      const inputs = [r([4, 3, 8], 'float64', 1.5), r([3, 2]), r([3, 2]), r([8, 2])];
      const result = gradCheck(readAll(fused, r([4, 3, 2]), reverse), inputs);
      expect(result.ok, result.message).toBe(true);
    });
  }

  it('has correct second derivatives (the rule composes differentiable ops under createGraph)', () => {
    const f = readAll(fused, r([3, 2, 2]), false);
    const result = gradCheck((xw: Tensor, h0: Tensor, c0: Tensor, w: Tensor) => {
      const [dx, dh, dc, dw] = grad(f)(xw, h0, c0, w);
      return dx.square().sum().add(dh.sum()).add(dc.mul(dc).sum()).add(dw.sum());
    }, [r([3, 2, 8]), r([2, 2]), r([2, 2]), r([8, 2])]);
    expect(result.ok, result.message).toBe(true);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    for (const reverse of [false, true]) {
      it(`equals the per-step LSTM in values and gradients (${dtype}, reverse ${reverse})`, () => {
        const args = [r([6, 5, 28], dtype), r([5, 7], dtype), r([5, 7], dtype), r([28, 7], dtype, 0.5)];
        const tol = dtype === 'float64' ? 1e-12 : 2e-5;
        const close = (a: Tensor, b: Tensor) => {
          expect(a.shape).toEqual(b.shape);
          const x = a.dataSync();
          const y = b.dataSync();
          for (let j = 0; j < x.length; j++) expect(Math.abs(x[j] - y[j])).toBeLessThan(tol * (1 + Math.abs(y[j])));
        };
        const [a, b] = [fused, perStep].map((run) => run(args[0], args[1], args[2], args[3], reverse));
        for (let k = 0; k < 3; k++) close(a[k], b[k]);
        const wOut = r([6, 5, 7], dtype);
        const ga = grad(readAll(fused, wOut, reverse))(...(args as [Tensor, Tensor, Tensor, Tensor]));
        const gb = grad(readAll(perStep, wOut, reverse))(...(args as [Tensor, Tensor, Tensor, Tensor]));
        for (let k = 0; k < 4; k++) close(ga[k], gb[k]);
      });
    }
  }
});
