import { grad, gradCheck } from '@backprop/autograd';
import { Generator, randn, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { SWISH_OP, swish } from '../src/index.js';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed) });
// The closed form, in plain double arithmetic: the oracle for the forward pass.
const reference = (x: number, beta: number): number => x / (1 + Math.exp(-beta * x));

describe('swish op: values', () => {
  it('computes x·σ(βx) elementwise, with β broadcast per feature', () => {
    const x = tensor([[-2, -0.5, 0, 3], [1, 2, -1, 0.25]], 'float64');
    const beta = tensor([0.5, 1, 2, -1], 'float64');
    const y = swish(x, beta);
    expect(y.shape).toEqual([2, 4]);
    y.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(reference(x.dataSync()[i], beta.dataSync()[i % 4]), 14));
  });

  it('is SiLU at β = 1, x/2 at β = 0, and takes β as a plain number', () => {
    const x = tensor([-3, -1, 0, 1, 3], 'float64');
    swish(x, 1).toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(reference(x.dataSync()[i], 1), 14));
    expect(swish(x, 0).toFlatArray()).toEqual([-1.5, -0.5, 0, 0.5, 1.5]);
  });

  it('records itself under its namespaced name, so errors and graphs name the plugin', () => {
    expect(SWISH_OP).toBe('plugin-swish.swish');
    const x = tensor([1, 2]).requiresGrad_();
    expect(swish(x, 1).requiresGrad).toBe(true);
    expect(swish(tensor([1, 2]), 1).requiresGrad).toBe(false);
  });

  it('names the op, what it was given and what it expects when the inputs are wrong', () => {
    expect(() => swish(tensor([1, 2], 'int32'), 1)).toThrow(/swish: x must be a float tensor, got int32/);
    expect(() => swish(tensor([1, 2]), tensor([1, 2], 'int32'))).toThrow(/swish: beta must be a float tensor, got int32/);
    expect(() => swish(tensor([[1, 2, 3]]), tensor([1, 2]))).toThrow(/swish: shapes \[1, 3\] and \[2\] cannot be broadcast/);
  });
});

describe('swish op: gradients (float64 gradCheck against central differences)', () => {
  it('first derivatives w.r.t. x and a per-feature β match', () => {
    const r = gradCheck((x, beta) => swish(x, beta), [f64([5, 3], 0), tensor([0.7, -1.3, 2.1], 'float64')]);
    expect(r.ok, r.message).toBe(true);
  });

  it('first derivatives w.r.t. x and a single β (summed over every element) match', () => {
    const r = gradCheck((x, beta) => swish(x, beta).mul(x.tanh()), [f64([2, 3, 4], 1), tensor([1.4], 'float64')]);
    expect(r.ok, r.message).toBe(true);
  });

  it('the hand-written rule agrees with the same function composed from built-in ops', () => {
    const x = f64([4, 3], 2).requiresGrad_();
    const beta = tensor([0.3, 1, -0.8], 'float64').requiresGrad_();
    const [gx, gb] = grad((a: Tensor, b: Tensor) => swish(a, b).square().sum())(x, beta);
    const [ex, eb] = grad((a: Tensor, b: Tensor) => a.mul(b.mul(a).sigmoid()).square().sum())(x, beta);
    gx.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(ex.dataSync()[i], 12));
    gb.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(eb.dataSync()[i], 12));
  });

  it('second derivatives: grad of swish passes gradCheck w.r.t. x and β', () => {
    const dx = (x: Tensor, beta: Tensor) => grad((a: Tensor, b: Tensor) => swish(a, b).sum())(x, beta)[0];
    const dBeta = (x: Tensor, beta: Tensor) => grad((a: Tensor, b: Tensor) => swish(a, b).sum())(x, beta)[1];
    const inputs = [f64([3, 2], 3), tensor([0.9, -0.4], 'float64')];
    for (const f of [dx, dBeta]) {
      const r = gradCheck(f, inputs);
      expect(r.ok, r.message).toBe(true);
    }
  });

  it('third derivatives: grad(grad(swish)) passes gradCheck', () => {
    const d2 = (x: Tensor, beta: Tensor) =>
      grad((a: Tensor, b: Tensor) => grad((c: Tensor, d: Tensor) => swish(c, d).sum())(a, b)[0].sum())(x, beta)[0];
    const r = gradCheck(d2, [f64([4], 4), tensor([1.2], 'float64')]);
    expect(r.ok, r.message).toBe(true);
  });
});
