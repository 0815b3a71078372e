import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import { Generator, randn, rand, type Tensor } from '@backprop/tensor';
import { gradCheck } from '../src/index.js';

const g = new Generator(123);
const r = (shape: number[]) => randn(shape, { generator: g, dtype: 'float64' });
const pos = (shape: number[]) => rand(shape, { generator: g, dtype: 'float64', low: 0.5, high: 2 });
// Values kept away from the kinks of relu/abs/clamp so finite differences are meaningful.
const awayFromZero = (shape: number[]) => T.mul(pos(shape), T.sign(r(shape)));

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

describe('gradCheck of unary ops', () => {
  const unary: [string, (x: Tensor) => Tensor, (s: number[]) => Tensor][] = [
    ['neg', T.neg, r], ['abs', T.abs, awayFromZero], ['square', T.square, r], ['exp', T.exp, r], ['log', T.log, pos],
    ['log1p', T.log1p, pos], ['sqrt', T.sqrt, pos], ['rsqrt', T.rsqrt, pos], ['reciprocal', T.reciprocal, pos],
    ['sin', T.sin, r], ['cos', T.cos, r], ['erf', T.erf, r], ['sigmoid', T.sigmoid, r], ['tanh', T.tanh, r],
    ['relu', T.relu, awayFromZero], ['leakyRelu', (x) => T.leakyRelu(x, 0.1), awayFromZero],
    ['elu', (x) => T.elu(x, 1.3), awayFromZero], ['gelu', (x) => T.gelu(x), r], ['gelu tanh', (x) => T.gelu(x, 'tanh'), r],
    ['softplus', (x) => T.softplus(x, 2, 3), r], ['clamp', (x) => T.clamp(x, -0.3, 0.4), awayFromZero],
    ['hardTanh', (x) => T.hardTanh(x), (s) => T.mul(awayFromZero(s), 0.4)],
    ['sign (zero gradient)', T.sign, awayFromZero],
  ];
  for (const [name, f, gen] of unary) {
    check(`${name} on [3, 4]`, f, [gen([3, 4])]);
    check(`${name} on a scalar`, f, [gen([])]);
  }
});

describe('gradCheck of binary ops with broadcasting', () => {
  const shapes: [number[], number[]][] = [[[3, 4], [3, 4]], [[3, 4], [4]], [[2, 1, 5], [3, 1]], [[1], [2, 3]], [[], [2, 2]]];
  for (const [sa, sb] of shapes) {
    check(`add ${sa} + ${sb}`, T.add, [r(sa), r(sb)]);
    check(`sub ${sa} - ${sb}`, T.sub, [r(sa), r(sb)]);
    check(`mul ${sa} * ${sb}`, T.mul, [r(sa), r(sb)]);
    check(`div ${sa} / ${sb}`, T.div, [r(sa), pos(sb)]);
    check(`pow ${sa} ** ${sb}`, T.pow, [pos(sa), r(sb)]);
    check(`maximum ${sa}, ${sb}`, T.maximum, [r(sa), r(sb)]);
    check(`minimum ${sa}, ${sb}`, T.minimum, [r(sa), r(sb)]);
  }
  check('scalar operands', (x) => T.add(T.mul(x, 3), 2).div(4), [r([2, 3])]);
});

describe('gradCheck of reductions, shapes, matmul and softmax', () => {
  check('sum all', (x) => T.sum(x), [r([3, 4])]);
  check('sum axes [0, 2] keepDims', (x) => T.sum(x, [0, 2], true), [r([2, 3, 4])]);
  check('mean axis -1', (x) => T.mean(x, -1), [r([3, 5])]);
  check('prod', (x) => T.prod(x, 1), [pos([3, 4])]);
  check('max axis 1', (x) => T.max(x, 1), [r([4, 5])]);
  check('min all', (x) => T.min(x), [r([4, 5])]);
  check('variance', (x) => T.variance(x, 0), [r([5, 3])]);
  check('std', (x) => T.std(x, 1), [r([3, 5])]);
  check('logSumExp', (x) => T.logSumExp(x, 1), [r([3, 5])]);
  check('reshape', (x) => T.reshape(x, [4, 3]).mul(T.arange(12, undefined, 1, { dtype: 'float64' }).reshape([4, 3])), [r([3, 4])]);
  const w423 = r([4, 2, 3]);
  const w43 = r([4, 3]);
  const w34 = r([3, 4]);
  check('permute', (x) => T.permute(x, [2, 0, 1]).mul(w423), [r([2, 3, 4])]);
  check('transpose', (x) => T.transpose(x).mul(w43), [r([3, 4])]);
  check('expand', (x) => T.expand(x, [3, 4]).mul(w34), [r([3, 1])]);
  check('squeeze/unsqueeze', (x) => T.unsqueeze(T.squeeze(x), 0), [r([1, 3, 1])]);
  check('matmul 2-D', (a, b) => T.matmul(a, b), [r([3, 4]), r([4, 5])]);
  check('matmul vector', (a, b) => T.matmul(a, b), [r([4]), r([4, 2])]);
  check('matmul batched with broadcast', (a, b) => T.matmul(a, b), [r([2, 3, 4]), r([4, 5])]);
  check('matmul transposed operands', (a, b) => T.matmul(a, b, true, true), [r([4, 3]), r([5, 4])]);
  check('addmm with a bias row and b transposed (linear)', (bias, a, b) => T.addmm(bias, a, b, false, true), [r([5]), r([3, 4]), r([5, 4])]);
  check('addmm with a full bias and a transposed', (bias, a, b) => T.addmm(bias, a, b, true, false), [r([3, 5]), r([4, 3]), r([4, 5])]);
  check('matmul batch broadcast both', (a, b) => T.matmul(a, b), [r([2, 1, 3, 4]), r([3, 4, 2])]);
  check('softmax', (x) => T.softmax(x, 1), [r([3, 4])]);
  check('softmax axis 0', (x) => T.softmax(x, 0), [r([3, 4])]);
  check('logSoftmax', (x) => T.logSoftmax(x, -1), [r([3, 4])]);
  it('cast float64 to float32 and back (linear, so a large step is exact)', () => {
    const res = gradCheck((x) => T.cast(T.cast(x, 'float32'), 'float64').mul(2), [r([3])], { eps: 1e-2, rtol: 1e-4 });
    expect(res.ok, res.message).toBe(true);
  });
  check('clone', (x) => T.clone(x).mul(x), [r([3])]);
});
