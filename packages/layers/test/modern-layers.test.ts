import { gradCheck } from '@backprop/autograd';
import { Generator, ones, randn, zeros, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import type { AnyModule, LayerConfig } from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });
const f64 = { dtype: 'float64' as const };

const LAYERS: [AnyModule, number[]][] = [
  [new L.GroupNorm(2, 4, { eps: 1e-3 }), [2, 4, 3]],
  [new L.InstanceNorm1d(3, { affine: true, trackRunningStats: true, momentum: 0.2 }), [2, 3, 4]],
  [new L.InstanceNorm2d(2), [2, 2, 3, 3]],
  [new L.PReLU(3, { init: 0.1 }), [2, 3, 4]],
  [new L.SELU(), [2, 3]],
  [new L.SiLU(), [2, 3]],
  [new L.Mish(), [2, 3]],
  [new L.Hardswish(), [2, 3]],
  [new L.Softsign(), [2, 3]],
  [new L.Dropout1d(0.3), [2, 3, 4]],
  [new L.Dropout2d(0.3), [2, 3, 2, 2]],
  [new L.ConvTranspose1d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1, ...g() }), [2, 3, 5]],
  [new L.Unflatten(1, [2, -1]), [3, 6]],
];

describe('the newer layers', () => {
  it('round-trip their configs (JSON) and state dicts, giving the same outputs', () => {
    for (const [model, shape] of [...LAYERS, [new L.Bilinear(3, 2, 4, g()), [5, 3]] as [AnyModule, number[]]]) {
      model.eval();
      const rebuilt = L.layerFromConfig(JSON.parse(JSON.stringify(model.toConfig())) as LayerConfig, g(9)).eval();
      expect(rebuilt.toConfig()).toEqual(model.toConfig());
      rebuilt.loadStateDict(model.stateDict());
      const x = randn(shape, g(5));
      const args = model instanceof L.Bilinear ? [x, randn([5, 2], g(6))] : [x];
      expect((rebuilt.call(...args) as Tensor).toFlatArray()).toEqual((model.call(...args) as Tensor).toFlatArray());
    }
  });

  it('pass gradCheck for the input and every parameter (float64)', () => {
    const cases: [AnyModule, number[]][] = [
      [new L.GroupNorm(2, 4, f64), [2, 4, 3]],
      [new L.InstanceNorm2d(2, { affine: true, ...f64 }), [2, 2, 2, 3]],
      [new L.PReLU(3, f64), [2, 3, 2]],
      [new L.SELU(), [3, 4]],
      [new L.SiLU(), [3, 4]],
      [new L.Mish(), [3, 4]],
      [new L.Softsign(), [3, 4]],
      [new L.ConvTranspose1d(2, 3, 2, { stride: 2, ...g(), ...f64 }), [2, 2, 3]],
      [new L.Bilinear(3, 2, 2, { ...g(), ...f64 }), [4, 3]],
    ];
    for (const [model, shape] of cases) {
      const names = model.namedParameters().map(([n]) => n);
      const x = randn(shape, { ...g(3), ...f64 }).mul(1.3);
      // PReLU's kink at 0: keep the samples away from it.
      const input = model instanceof L.PReLU ? x.add(x.sign().mul(0.2)) : x;
      const extra = model instanceof L.Bilinear ? [randn([4, 2], { ...g(4), ...f64 })] : [];
      const f = (a: Tensor, ...rest: Tensor[]) => {
        const params = rest.slice(extra.length);
        const inputs = [a, ...rest.slice(0, extra.length)];
        return L.functionalCall(model, new Map(names.map((n, i) => [n, params[i]])), ...inputs) as Tensor;
      };
      const result = gradCheck(f, [input, ...extra, ...model.parameters()]);
      expect(result.ok, `${model.constructor.name}: ${result.message}`).toBe(true);
    }
  });

  it('Dropout1d/2d zero whole channels in training, reproducibly, and pass through in eval', () => {
    const drop = new L.Dropout2d(0.5, g(1));
    const y = drop.call(ones([4, 6, 3, 3]));
    const perChannel = y.reshape([24, 9]);
    const sums = perChannel.sum(1).toFlatArray();
    expect(sums.every((s) => s === 0 || s === 18)).toBe(true);
    expect(sums.some((s) => s === 0) && sums.some((s) => s === 18)).toBe(true);
    expect(new L.Dropout2d(0.5, g(1)).call(ones([4, 6, 3, 3])).toFlatArray()).toEqual(y.toFlatArray());
    expect(drop.eval().call(ones([2, 3, 2, 2])).toFlatArray()).toEqual(new Array(24).fill(1));
    expect(new L.Dropout1d(0.5, g(2)).call(ones([3, 5])).reshape([3, 5]).sum(1).toFlatArray().every((s) => s === 0 || s === 10)).toBe(true);
    expect(() => new L.Dropout2d(0.5).call(zeros([2, 3]))).toThrow(/Dropout2d: expected input of shape \[N, C, H, W\]/);
  });

  it('check their options and inputs, naming the layer', () => {
    expect(() => new L.GroupNorm(3, 4)).toThrow(/GroupNorm: numChannels \(4\) must be divisible by numGroups \(3\)/);
    expect(() => new L.PReLU(3).call(zeros([2, 4]))).toThrow(/PReLU: expected 3 channels in dimension 1/);
    expect(() => new L.Unflatten(1, [4, 2]).call(zeros([2, 6]))).toThrow(/cannot split dimension 1 of size 6/);
    expect(() => new L.Bilinear(3, 2, 1).call(zeros([4, 3]), zeros([5, 2]))).toThrow(/Bilinear: expected inputs \[\*, 3\] and \[\*, 2\]/);
    expect(() => new L.InstanceNorm1d(3).call(zeros([2, 4, 5]))).toThrow(/InstanceNorm1d: expected input of shape \[N, 3, L\]/);
  });
});
