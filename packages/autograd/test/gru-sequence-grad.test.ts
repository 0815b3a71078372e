// gruSequence's gradient: float64 finite differences over every input in both directions, its second
// derivatives (the composed rule under createGraph), and values and gradients against the GRU composed
// step by step of ordinary ops (PyTorch's equations) that it replaces.
import { describe, expect, it } from 'vitest';
import { Generator, gruSequence, matmul, narrow, randn, stack, type DType, type Tensor } from '@backprop/tensor';
import { grad, gradCheck } from '../src/index.js';

const gen = new Generator(13);
const r = (shape: number[], dtype: DType = 'float64', scale = 1): Tensor => randn(shape, { generator: gen, dtype }).mul(scale);

/** The recurrence step by step with ordinary ops. */
function perStep(xw: Tensor, h0: Tensor, w: Tensor, b: Tensor, reverse: boolean): [Tensor, Tensor] {
  const T = xw.shape[0];
  const hs = new Array<Tensor>(T);
  let h = h0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const [xr, xz, xn] = narrow(xw, 0, t, 1).reshape(xw.shape.slice(1)).chunk(3, 1);
    const [ar, az, an] = matmul(h, w, false, true).add(b).chunk(3, 1);
    const rg = xr.add(ar).sigmoid();
    const z = xz.add(az).sigmoid();
    const n = xn.add(rg.mul(an)).tanh();
    h = n.add(z.mul(h.sub(n)));
    hs[t] = h;
  }
  return [stack(hs, 0), h];
}

const fused = (xw: Tensor, h0: Tensor, w: Tensor, b: Tensor, reverse: boolean) => gruSequence(xw, h0, w, b, { reverse });

/** A scalar reading both outputs with different weights. */
const readAll = (run: typeof perStep, wOut: Tensor, reverse: boolean) => (xw: Tensor, h0: Tensor, w: Tensor, b: Tensor): Tensor => {
  const [out, h] = run(xw, h0, w, b, reverse);
  return out.mul(wOut).sum().add(h.mul(h.sigmoid()).sum());
};

describe('gruSequence gradient', () => {
  for (const reverse of [false, true]) {
    it(`passes a float64 finite-difference gradCheck for xw, h0, W_hh and b_hh (reverse ${reverse})`, () => {
      const inputs = [r([4, 3, 6], 'float64', 1.5), r([3, 2]), r([6, 2]), r([6])];
      const result = gradCheck(readAll(fused, r([4, 3, 2]), reverse), inputs);
      expect(result.ok, result.message).toBe(true);
    });
  }

  it('has correct second derivatives (the rule composes differentiable ops under createGraph)', () => {
    const f = readAll(fused, r([3, 2, 2]), false);
    const result = gradCheck((xw: Tensor, h0: Tensor, w: Tensor, b: Tensor) => {
      const [dx, dh, dw, db] = grad(f)(xw, h0, w, b);
      return dx.square().sum().add(dh.sum()).add(dw.sum()).add(db.square().sum());
    }, [r([3, 2, 6]), r([2, 2]), r([6, 2]), r([6])]);
    expect(result.ok, result.message).toBe(true);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    for (const reverse of [false, true]) {
      it(`equals the GRU composed of ordinary ops in values and gradients (${dtype}, reverse ${reverse})`, () => {
        const args = [r([6, 5, 21], dtype), r([5, 7], dtype), r([21, 7], dtype, 0.5), r([21], dtype)] as [Tensor, Tensor, Tensor, Tensor];
        const tol = dtype === 'float64' ? 1e-12 : 2e-5;
        const close = (a: Tensor, b: Tensor) => {
          expect(a.shape).toEqual(b.shape);
          const x = a.dataSync();
          const y = b.dataSync();
          for (let j = 0; j < x.length; j++) expect(Math.abs(x[j] - y[j])).toBeLessThan(tol * (1 + Math.abs(y[j])));
        };
        const [a, b] = [fused, perStep].map((run) => run(...args, reverse));
        for (let k = 0; k < 2; k++) close(a[k], b[k]);
        const wOut = r([6, 5, 7], dtype);
        const ga = grad(readAll(fused, wOut, reverse))(...args);
        const gb = grad(readAll(perStep, wOut, reverse))(...args);
        for (let k = 0; k < 4; k++) close(ga[k], gb[k]);
      });
    }
  }
});
