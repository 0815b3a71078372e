import { beforeAll, describe, expect, it } from 'vitest';
import {
  abs, add, cast, ceil, clamp, cos, div, elu, eq, erf, exp, floor, ge, gelu, gt, hardTanh, le, leakyRelu, log, log1p, logicalNot, lt,
  maximum, minimum, mul, ne, neg, pow, randint, reciprocal, relu, round, rsqrt, runKernel, sigmoid, sign, sin, softplus, sqrt,
  square, sub, tanh, tensor, where, wrap, Generator, type Tensor,
} from '@backprop/tensor';
import { expectSameOnGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

// Broadcasting pairs: same shape, trailing row, middle axes on both sides, scalar, and odd sizes past one
// workgroup and past one 64-thread row.
const PAIRS: [number[], number[]][] = [
  [[3, 5], [3, 5]],
  [[7, 9], [9]],
  [[2, 1, 7], [4, 1]],
  [[5, 1], [1, 6]],
  [[], [37]],
  [[1031], []],
  [[3, 1, 4, 1], [1, 5, 1, 2]],
];

const BINARY: Record<string, (a: Tensor, b: Tensor) => Tensor> = { add, sub, mul, div, maximum, minimum, eq, ne, lt, le, gt, ge };

describe('binary ops match cpu, with broadcasting', () => {
  for (const [name, f] of Object.entries(BINARY)) {
    it(name, async () => {
      for (const [i, [sa, sb]] of PAIRS.entries()) {
        const a = random(sa, 10 + i);
        // Some equal elements, so the comparisons see ties.
        const b = i === 0 ? a : random(sb, 20 + i);
        await expectSameOnGpu(f, [a, b]);
      }
    });
  }

  it('pow of positive and negative bases with integer and fractional exponents', async () => {
    const base = tensor([[2, -2, 0, 3.5, -1.5, 0.25]]);
    const exponent = tensor([[2], [3], [0], [0.5], [-1]]);
    await expectSameOnGpu((a, b) => pow(a, b), [base, exponent], 2e-6);
    await expectSameOnGpu((a, b) => pow(a, b), [random([40], 3).abs(), random([40], 4)], 2e-6);
  });

  it('more elements than one row of workgroups covers (65,535 × 64)', async () => {
    const n = 65_535 * 64 + 100;
    const a = random([n], 30);
    const values = await expectSameOnGpu((x, y) => add(x, y), [a, random([1], 31)]);
    expect(values.length).toBe(n);
  });

  it('int32 arithmetic stays int32', async () => {
    const g = new Generator(1);
    const a = randint(-50, 50, [6, 7], { generator: g });
    const b = randint(-50, 50, [7], { generator: g });
    for (const f of [add, sub, mul, maximum, minimum, lt, eq]) {
      const values = await expectSameOnGpu(f, [a, b], 0);
      expect(values instanceof Int32Array || values instanceof Uint8Array).toBe(true);
    }
    await expectSameOnGpu(pow, [randint(-4, 5, [20], { generator: g }), randint(0, 5, [20], { generator: g })], 0);
  });
});

describe('unary ops match cpu', () => {
  const x = random([3, 347], 5, 3);
  const positive = random([3, 347], 6).abs().add(0.01);
  const FLOAT: Record<string, [(t: Tensor) => Tensor, Tensor]> = {
    neg: [neg, x], abs: [abs, x], sign: [sign, x], exp: [exp, x], log: [log, positive], log1p: [log1p, positive],
    sqrt: [sqrt, positive], rsqrt: [rsqrt, positive], square: [square, x], reciprocal: [reciprocal, positive],
    erf: [erf, x], sin: [sin, x], cos: [cos, x], floor: [floor, x], ceil: [ceil, x], round: [round, tensor([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6])],
    sigmoid: [sigmoid, x.mul(10)], tanh: [tanh, x.mul(10)], relu: [relu, x],
    leakyRelu: [(t) => leakyRelu(t, 0.2), x], elu: [(t) => elu(t, 0.7), x],
    gelu: [(t) => gelu(t), x], geluTanh: [(t) => gelu(t, 'tanh'), x],
    softplus: [(t) => softplus(t, 2, 5), x], clamp: [(t) => clamp(t, -1, 0.5), x], clampLow: [(t) => clamp(t, 0), x],
    hardTanh: [(t) => hardTanh(t), x],
  };
  for (const [name, [f, input]] of Object.entries(FLOAT)) {
    it(name, async () => {
      await expectSameOnGpu(f, [input], 2e-6);
    });
  }

  it('integer inputs keep integer results, and logicalNot gives bool', async () => {
    const i = randint(-9, 10, [129], { generator: new Generator(2) });
    for (const f of [neg, abs, sign, square, relu, floor, ceil, round, (t: Tensor) => clamp(t, -3, 4), (t: Tensor) => clamp(t, undefined, 2)]) {
      await expectSameOnGpu(f, [i], 0);
    }
    await expectSameOnGpu(logicalNot, [i], 0);
    await expectSameOnGpu(logicalNot, [i.gt(0)], 0);
  });
});

describe('the fused activation gradients', () => {
  for (const name of ['sigmoidGrad', 'tanhGrad', 'reluGrad']) {
    it(name, async () => {
      const g = random([5, 131], 7);
      const v = name === 'reluGrad' ? random([5, 131], 8) : sigmoid(random([5, 131], 8));
      await expectSameOnGpu((a, b) => wrap(runKernel(name, [a, b], {})), [g, v], 1e-6);
    });
  }
});

describe('cast and where', () => {
  it('casts between float32, int32 and bool as cpu does', async () => {
    const x = tensor([1.7, -1.7, 0, 2.5, -0.2, 3]);
    for (const [from, to] of [['float32', 'int32'], ['float32', 'bool'], ['int32', 'float32'], ['int32', 'bool'], ['bool', 'float32'], ['bool', 'int32']] as const) {
      await expectSameOnGpu((t) => cast(t, to), [cast(x, from)], 0);
    }
  });

  it('where broadcasts the condition and both branches', async () => {
    const a = random([4, 1, 6], 9);
    const b = random([5, 1], 10);
    const cond = random([1, 5, 6], 11).gt(0);
    await expectSameOnGpu((c, x, y) => where(c, x, y), [cond, a, b], 0);
    await expectSameOnGpu((c, x) => where(c, x, 0), [cond, a], 0);
  });
});
