import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { Adadelta, Adagrad, Adam, AdamW, RMSprop, SGD } from '../src/index.js';

const param = (values = [1, 2]) => tensor(Float64Array.from(values)).requiresGrad_();
const withGrad = (values: number[], grad: number[]) => {
  const p = param(values);
  p.grad = tensor(Float64Array.from(grad));
  return p;
};

describe('Optimizer', () => {
  it('zeroGrad drops gradients by default and zeroes them in place with setToNone: false', () => {
    const p = withGrad([1, 2], [3, 4]);
    const opt = new SGD([p], { lr: 0.1 });
    const buffer = p.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(p.grad).toBe(buffer);
    expect(Array.from(buffer.dataSync())).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('skips parameters without a gradient', () => {
    const a = withGrad([1, 2], [1, 1]);
    const b = param([5, 6]);
    const opt = new SGD([a, b], { lr: 0.5, momentum: 0.9 });
    opt.step();
    expect(Array.from(a.dataSync())).toEqual([0.5, 1.5]);
    expect(Array.from(b.dataSync())).toEqual([5, 6]);
    expect(opt.state.has(b)).toBe(false);
  });

  it('reads lr from its group at every step, so a changed lr takes effect', () => {
    const p = withGrad([1], [1]);
    const opt = new SGD([p], { lr: 0.5 });
    opt.step();
    opt.paramGroups[0].lr = 0.25;
    opt.step();
    expect(p.dataSync()[0]).toBe(1 - 0.5 - 0.25);
  });

  it('gives each group its own options, defaulting to the constructor options', () => {
    const w = withGrad([1], [1]);
    const b = withGrad([1], [1]);
    const opt = new SGD([{ params: [w], weightDecay: 1 }, { params: b, lr: 0.5 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => [g.lr, g.weightDecay])).toEqual([
      [0.1, 1],
      [0.5, 0],
    ]);
    opt.step();
    expect(w.dataSync()[0]).toBeCloseTo(1 - 0.1 * (1 + 1), 15);
    expect(b.dataSync()[0]).toBeCloseTo(0.5, 15);
  });

  it('addParamGroup adds parameters with their own options and refuses duplicates', () => {
    const a = param();
    const opt = new Adam([a]);
    const head = withGrad([0, 0], [1, -1]);
    opt.addParamGroup({ params: [head], lr: 0.1 });
    opt.step();
    // Adam's first step is lr·g/(|g| + eps): lr in magnitude, against the gradient.
    expect(head.dataSync()[0]).toBeCloseTo(-0.1, 7);
    expect(head.dataSync()[1]).toBeCloseTo(0.1, 7);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/Adam: parameter 0 \(parameter group 2\) appears twice/);
  });

  it('calls the closure with gradients recorded and returns its loss', () => {
    const p = param([3]);
    const opt = new SGD([p], { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.square().sum();
      l.backward();
      return l;
    });
    expect(loss).toBe(9);
    expect(p.dataSync()[0]).toBeCloseTo(3 - 0.1 * 6, 15);
    expect(opt.step()).toBeUndefined();
  });

  it('updates float32 parameters in float32 buffers', () => {
    const p = tensor([1, 2]).requiresGrad_();
    p.grad = tensor([0.5, 0.5]);
    const opt = new Adam([p], { lr: 0.1 });
    opt.step();
    expect(p.dataSync()).toBeInstanceOf(Float32Array);
    expect(opt.state.get(p)?.expAvg.dtype).toBe('float32');
    expect(opt.state.get(p)?.expAvg.shape).toEqual([2]);
    expect(Array.from(p.dataSync())).toEqual([Math.fround(0.9), Math.fround(1.9)]);
  });

  it('refuses bad parameter lists', () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/SGD: got an empty parameter list/);
    expect(() => new SGD(param() as never, { lr: 0.1 })).toThrow(/SGD: params must be an array/);
    expect(() => new SGD([tensor([1, 2], 'int32')], { lr: 0.1 })).toThrow(/SGD: parameter 0 has dtype int32, expected float32 or float64/);
    expect(() => new SGD([param().mul(2)], { lr: 0.1 })).toThrow(/SGD: parameter 0 is not a leaf tensor/);
    expect(() => new SGD([{ params: [] }], { lr: 0.1 })).toThrow(/SGD: a parameter group has no parameters \(parameter group 0\)/);
  });
});

describe('option checks name the optimizer, the option, what was given and what was expected', () => {
  it.each([
    [() => new SGD([param()]), /SGD: lr is required/],
    [() => new SGD([param()], { lr: -0.1 }), /SGD: lr must be a number >= 0, got -0.1/],
    [() => new SGD([{ params: [param()], lr: -1 }], { lr: 0.1 }), /SGD: lr must be a number >= 0 \(parameter group 0\), got -1/],
    [() => new SGD([param()], { lr: 0.1, nesterov: true }), /SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0/],
    [() => new SGD([param()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /dampening 0.1/],
    [() => new Adam([param()], { betas: [0.9, 1] }), /Adam: betas\[1\] must be a number >= 0 and < 1, got 1/],
    [() => new Adam([param()], { betas: [0.9] as never }), /Adam: betas must be a pair \[beta1, beta2\], got \[0.9\]/],
    [() => new AdamW([param()], { weightDecay: -1 }), /AdamW: weightDecay must be a number >= 0, got -1/],
    [() => new Adam([param()], { eps: Number.NaN }), /Adam: eps must be a number >= 0, got NaN/],
    [() => new RMSprop([param()], { alpha: -0.5 }), /RMSprop: alpha must be a number >= 0, got -0.5/],
    [() => new RMSprop([param()], { centered: 1 as never }), /RMSprop: centered must be true or false, got 1/],
    [() => new Adagrad([param()], { lrDecay: -1 }), /Adagrad: lrDecay must be a number >= 0, got -1/],
    [() => new Adagrad([param()], { initialAccumulatorValue: -1 }), /Adagrad: initialAccumulatorValue must be a number >= 0, got -1/],
    [() => new Adadelta([param()], { rho: 1.5 }), /Adadelta: rho must be a number >= 0 and <= 1, got 1.5/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('Adagrad', () => {
  it("honours a group's own initialAccumulatorValue (PyTorch 1.13 uses the constructor's for every group)", () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new Adagrad([{ params: [a] }, { params: [b], initialAccumulatorValue: 0.7 }], { initialAccumulatorValue: 0.1 });
    expect(opt.state.get(a)!.sum.toFlatArray()).toEqual([0.1]);
    expect(opt.state.get(b)!.sum.toFlatArray()).toEqual([0.7]);
  });
});
