// Float64 finite-difference checks of the gradients of the sorting, scan, norm, einsum and structure ops,
// and of a second derivative through the compositions (the rules are written with differentiable ops).
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import { Generator, randn, rand, tensor, type Tensor } from '@backprop/tensor';
import { grad, gradCheck, gradients } from '../src/index.js';

const g = new Generator(7);
const r = (shape: number[]) => randn(shape, { generator: g, dtype: 'float64' });
const pos = (shape: number[]) => rand(shape, { generator: g, dtype: 'float64', low: 0.5, high: 2 });
const f64 = (values: number[][]) => tensor(Float64Array.from(values.flat()), [values.length, values[0].length]);

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

describe('gradCheck of sorting and running extrema', () => {
  check('sort descending along axis 0', (x) => T.sort(x, 0, true).values, [r([4, 3])]);
  check('topk 2 of the last axis', (x) => T.topk(x, 2).values, [r([3, 5])]);
  check('topk smallest along axis 0', (x) => T.topk(x, 2, 0, false).values, [r([4, 3])]);
  check('cummax', (x) => T.cummax(x, 1).values, [r([3, 5])]);
  check('cummin', (x) => T.cummin(x, 0).values, [r([4, 2])]);
  check('max along one axis', (x) => T.max(x, 1), [r([3, 4])]);
  check('min along one axis, keepDims', (x) => T.min(x, -1, true), [r([3, 4])]);
  check('amax over two axes', (x) => T.amax(x, [0, 2]), [r([2, 3, 4])]);
});

describe('gradCheck of cumulative sums and products', () => {
  check('cumsum axis 1', (x) => T.cumsum(x, 1), [r([3, 4])]);
  check('cumsum axis 0 of a 3-d tensor', (x) => T.cumsum(x, 0), [r([3, 2, 2])]);
  check('cumprod without zeros', (x) => T.cumprod(x, 1), [pos([2, 5])]);
  check('cumprod with one and two zeros in a line', (x) => T.cumprod(x, 1), [f64([[2, 0, 3, 0.5], [1.5, -0.5, 0, 2], [0.7, 1.2, -1.1, 0.9]])]);
  check('cumprod with zeros along axis 0', (x) => T.cumprod(x, 0), [f64([[0, 1.5], [2, 0], [0.5, 3]])]);
});

describe('gradCheck of norms', () => {
  for (const ord of [2, 1, 3, 1.5, -1, Infinity, -Infinity]) {
    check(`vectorNorm ord ${ord} over all`, (x) => T.vectorNorm(x, ord), [r([3, 4])]);
    check(`vectorNorm ord ${ord} along axis 1, keepDims`, (x) => T.vectorNorm(x, ord, 1, true), [r([3, 4])]);
  }
  for (const ord of ['fro', 1, -1, Infinity, -Infinity] as const) {
    check(`matrixNorm ${ord}`, (x) => T.matrixNorm(x, ord), [r([2, 3, 4])]);
  }
  check('norm p 3 over two axes', (x) => T.norm(x, 3, [0, 1]), [r([3, 4])]);
  for (const ord of ['nuc', 2, -2] as const) {
    check(`matrixNorm ${ord} (singular values)`, (x) => T.matrixNorm(x, ord, [0, 2]), [r([3, 2, 4])]);
  }
  check('linalg.norm of a matrix, ord 2', (x) => T.linalg.norm(x, 2), [r([3, 3])]);
});

describe('gradCheck of einsum', () => {
  check("'ij,jk->ik'", (a, b) => T.einsum('ij,jk->ik', a, b), [r([2, 3]), r([3, 4])]);
  check("'bij,bjk->bik'", (a, b) => T.einsum('bij,bjk->bik', a, b), [r([2, 2, 3]), r([2, 3, 2])]);
  check("'ii' (trace)", (a) => T.einsum('ii', a), [r([3, 3])]);
  check("'bii->bi' (batched diagonal)", (a) => T.einsum('bii->bi', a), [r([2, 3, 3])]);
  check("'bn,anm,bm->ba' (bilinear)", (x, w, y) => T.einsum('bn,anm,bm->ba', x, w, y), [r([2, 3]), r([2, 3, 2]), r([2, 2])]);
  check("'...ij,...jk' broadcast batch", (a, b) => T.einsum('...ij,...jk', a, b), [r([2, 1, 2, 3]), r([3, 3, 2])]);
});

describe('gradCheck of structure ops', () => {
  check('roll', (x) => T.roll(x, [1, -2], [0, 1]), [r([3, 4])]);
  check('roll flattened', (x) => T.roll(x, 5), [r([3, 4])]);
  check('outer', (a, b) => T.outer(a, b), [r([3]), r([4])]);
  check('diag of a vector, offset -1', (x) => T.diag(x, -1), [r([3])]);
  check('diag of a matrix, offset 1', (x) => T.diag(x, 1), [r([3, 4])]);
  check('diagonal of axes 2 and 0', (x) => T.diagonal(x, -1, 2, 0), [r([3, 2, 4])]);
  check('tril', (x) => T.tril(x, 1), [r([2, 3, 4])]);
  check('triu', (x) => T.triu(x, -1), [r([3, 4])]);
  check('meshgrid', (a, b) => T.meshgrid([a, b], 'xy')[0].mul(T.meshgrid([a, b])[1].sum()), [r([2]), r([3])]);
});

describe('second derivatives through the compositions', () => {
  it('cumprod gives the same gradient whether or not the backward pass is recorded', () => {
    const x = f64([[2, 0, 3, 0.5], [1.5, -0.5, 0, 2], [0.7, 1.2, -1.1, 0.9]]).requiresGrad_();
    const w = r([3, 4]);
    const plain = gradients(T.cumprod(x, 1).mul(w).sum(), [x])[0];
    const recorded = gradients(T.cumprod(x, 1).mul(w).sum(), [x], { createGraph: true })[0];
    const a = plain.dataSync();
    recorded.dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i], 12));
  });
  it('cumprod with a zero: d²/dx² of Σ cumprod(x) matches finite differences of its gradient', () => {
    const x = tensor(Float64Array.from([1.5, 0, 2, -0.5]), [4]);
    const firstGrad = (v: Tensor) => grad((u: Tensor) => T.cumprod(u, 0).sum())(v)[0];
    const result = gradCheck((v) => firstGrad(v).mul(tensor(Float64Array.from([0.3, -1, 0.7, 2]), [4])).sum(), [x]);
    expect(result.ok, result.message).toBe(true);
  });
  it('vectorNorm and einsum are twice differentiable', () => {
    const result = gradCheck((v) => {
      const [dv] = grad((u: Tensor) => T.vectorNorm(u, 3).mul(T.einsum('ij,ij->', u, u)))(v);
      return dv.mul(dv).sum();
    }, [r([2, 3])]);
    expect(result.ok, result.message).toBe(true);
  });
});

describe('zero gradients of piecewise-constant ops', () => {
  for (const [name, f] of [['floor', T.floor], ['ceil', T.ceil], ['round', T.round], ['sign', T.sign]] as const) {
    it(`${name} has a zero gradient instead of refusing to differentiate`, () => {
      const x = tensor(Float64Array.from([0.3, 1.7, -2.2]), [3]).requiresGrad_();
      f(x).mul(x).sum().backward();
      // d/dx (f(x)·x) = f(x) + 0·x.
      expect(Array.from(x.grad!.dataSync())).toEqual(Array.from(f(x.detach()).dataSync()));
    });
  }
});
