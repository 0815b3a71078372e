import { gradCheck } from '@backprop/autograd';
import { Generator, randn, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';

/** Normal samples nudged at least 0.1 away from each kink, where a finite difference would straddle it. */
function sample(shape: number[], seed: number, kinks: number[] = []): Tensor {
  const x = randn(shape, { dtype: 'float64', generator: new Generator(seed) }).mul(1.5);
  const data = Float64Array.from(x.dataSync(), (v) => {
    for (const k of kinks) if (Math.abs(v - k) < 0.1) return v < k ? k - 0.1 - Math.abs(v - k) : k + 0.1 + Math.abs(v - k);
    return v;
  });
  return tensor(data, shape);
}

const g = () => ({ generator: new Generator(1), dtype: 'float64' as const });

const CASES: [string, () => L.Module, number[], number[]?][] = [
  ['Linear', () => new L.Linear(3, 4, g()), [5, 3]],
  ['Linear without bias', () => new L.Linear(3, 2, { ...g(), bias: false }), [2, 2, 3]],
  ['Maxout', () => new L.Maxout(4, 3, 2, g()), [5, 4]],
  ['Sigmoid', () => new L.Sigmoid(), [3, 4]],
  ['Tanh', () => new L.Tanh(), [3, 4]],
  ['HardTanh', () => new L.HardTanh(-0.5, 1.5), [3, 4], [-0.5, 1.5]],
  ['ReLU', () => new L.ReLU(), [3, 4], [0]],
  ['LeakyReLU', () => new L.LeakyReLU(0.2), [3, 4], [0]],
  ['ELU', () => new L.ELU(0.5), [3, 4], [0]],
  ['GELU', () => new L.GELU(), [3, 4]],
  ['GELU tanh', () => new L.GELU('tanh'), [3, 4]],
  ['Softplus', () => new L.Softplus(2, 1), [3, 4], [0.5]],
  ['Softmax', () => new L.Softmax(1), [3, 4]],
  ['LogSoftmax', () => new L.LogSoftmax(-1), [3, 4]],
  ['Flatten', () => new L.Flatten(), [2, 3, 2]],
  ['Reshape', () => new L.Reshape([2, -1]), [2, 6]],
  ['Identity', () => new L.Identity(), [2, 3]],
  ['Residual', () => new L.Residual(new L.Sequential(new L.Linear(4, 4, g()), new L.Tanh())), [3, 4]],
  ['Sequential MLP', () => new L.Sequential(new L.Linear(3, 5, g()), new L.ELU(), new L.Linear(5, 2, g()), new L.LogSoftmax(1)), [4, 3]],
];

describe('gradCheck of every layer, for the input and every parameter', () => {
  for (const [name, make, shape, kinks] of CASES) {
    it(name, () => {
      const model = make();
      const names = model.namedParameters().map(([n]) => n);
      const f = (x: Tensor, ...params: Tensor[]) => L.functionalCall(model, new Map(names.map((n, i) => [n, params[i]])), x);
      const result = gradCheck(f, [sample(shape, 7, kinks), ...model.parameters()]);
      expect(result.ok, result.message).toBe(true);
    });
  }
});
