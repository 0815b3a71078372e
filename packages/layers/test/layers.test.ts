import { Generator, ShapeError, ValueError, copy_, ones, randn, tensor, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { Flatten, Identity, Linear, Maxout, ReLU, Reshape, Residual, Sequential, Tanh, linear } from '../src/index.js';

describe('Linear', () => {
  it('has weight [out, in] and bias [out], initialized within ±1/√in as PyTorch', () => {
    const fc = new Linear(400, 300, { generator: new Generator(0) });
    expect(fc.weight.shape).toEqual([300, 400]);
    expect(fc.bias!.shape).toEqual([300]);
    expect(fc.weight.requiresGrad && fc.bias!.requiresGrad).toBe(true);
    const bound = 1 / Math.sqrt(400);
    const w = fc.weight.toFlatArray();
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.99 * bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    const b = fc.bias!.toFlatArray();
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...b.map(Math.abs))).toBeGreaterThan(0.95 * bound);
  });

  it('is reproducible from a seed and resetParameters redraws', () => {
    const a = new Linear(3, 2, { generator: new Generator(4) });
    const b = new Linear(3, 2, { generator: new Generator(4) });
    expect(b.stateDict().get('weight')!.toFlatArray()).toEqual(a.weight.toFlatArray());
    b.resetParameters(new Generator(5));
    expect(b.weight.toFlatArray()).not.toEqual(a.weight.toFlatArray());
  });

  it('maps [*, in] to [*, out] and rejects other inputs, naming the op and shapes', () => {
    const fc = new Linear(3, 2, { bias: false });
    expect(fc.bias).toBeNull();
    expect(fc.call(ones([4, 5, 3])).shape).toEqual([4, 5, 2]);
    expect(fc.call(ones([3])).shape).toEqual([2]);
    expect(() => fc.call(ones([2, 4]))).toThrow(ShapeError);
    expect(() => fc.call(ones([2, 4]))).toThrow(/linear: input of shape \[2, 4\] does not end in 3 features, as weight \[2, 3\] \(\[out, in\]\) expects/);
    expect(linear(ones([1, 3]), ones([2, 3])).toFlatArray()).toEqual([3, 3]);
    expect(() => new Linear(0, 2)).toThrow(/Linear: inFeatures must be an integer ≥ 1, got 0/);
  });
});

describe('Maxout', () => {
  it('takes the max over adjacent rows of its weight: row j·pieces + k is piece k of unit j', () => {
    const m = new Maxout(1, 2, 3, { bias: false });
    copy_(m.weight, tensor([1, 5, 2, -1, -3, -2]).reshape(m.weight.shape));
    expect(m.call(ones([1, 1])).toFlatArray()).toEqual([5, -1]);
    expect(m.call(ones([1, 1]).neg()).toFlatArray()).toEqual([-1, 3]);
    expect(m.weight.shape).toEqual([6, 1]);
  });
});

describe('shape layers and containers', () => {
  it('Flatten keeps the batch dimension by default', () => {
    expect(new Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
  });

  it('Reshape reshapes each sample and says when it cannot', () => {
    const x = randn([2, 12], { generator: new Generator(0) });
    const y = new Reshape([3, -1]).call(x);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(y.toFlatArray()).toEqual(x.toFlatArray());
    expect(() => new Reshape([5]).call(x)).toThrow(/Reshape: cannot reshape samples of shape \[12\] \(12 values\) to \[5\]/);
    expect(() => new Reshape([-1, -1])).toThrow(/Reshape: shape must have positive sizes and at most one −1/);
  });

  it('Identity returns its input', () => {
    const x = ones([2]);
    expect(new Identity().call(x)).toBe(x);
  });

  it('Residual adds the input and insists on an unchanged shape', () => {
    const inner = new Linear(2, 2, { bias: false });
    copy_(inner.weight, tensor([1, 0, 0, 1]).reshape(inner.weight.shape));
    expect(new Residual(inner).call(ones([1, 2])).toFlatArray()).toEqual([2, 2]);
    expect(() => new Residual(new Linear(2, 3)).call(ones([1, 2]))).toThrow(
      /Residual: the wrapped Linear maps shape \[1, 2\] to \[1, 3\]; f\(x\) \+ x needs them equal/,
    );
    expect(() => new Residual({} as never)).toThrow(ValueError);
  });

  it('Sequential chains, appends and indexes its layers', () => {
    const s = new Sequential(new Linear(2, 3), new ReLU());
    s.append(new Tanh());
    expect(s.length).toBe(3);
    expect(s.at(-1)).toBeInstanceOf(Tanh);
    expect(s.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
    expect(s.call(ones([4, 2])).shape).toEqual([4, 3]);
    expect(() => s.at(3)).toThrow(/Sequential.at: index 3 is out of range for 3 layers/);
    expect(() => new Sequential(3 as never)).toThrow(/Sequential: layer 0 must be a Module/);
  });
});
