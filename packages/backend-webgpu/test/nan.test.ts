import { beforeAll, describe, it } from 'vitest';
import {
  abs, argmax, argmin, cast, clamp, cos, elu, logSoftmax, softmax, eq, exp, ge, gelu, gt, le, leakyRelu, log, log1p, logicalNot, lt, max, maximum, min,
  minimum, ne, neg, relu, round, rsqrt, runKernel, sigmoid, sign, sin, softplus, sqrt, square, tanh, tensor, wrap, type Tensor,
} from '@backprop/tensor';
import { expectSameOnGpu, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

// GPU compilers may assume there is no NaN (SwiftShader's does): the kernels test for it on the bits, so
// NaN, ±∞ and out-of-domain inputs give what the cpu kernels give.
const SPECIAL = tensor([NaN, Infinity, -Infinity, 0, -0.5, 2, -1, 1e-30]);
const OTHER = tensor([1, NaN, 3, NaN, -Infinity, 2, Infinity, 0]);

describe('NaN, infinities and domains as on cpu', () => {
  it('unary functions', async () => {
    const ops: ((t: Tensor) => Tensor)[] = [
      neg, abs, sign, exp, log, log1p, sqrt, rsqrt, square, sin, cos, round, sigmoid, tanh, relu, logicalNot,
      (t) => leakyRelu(t, 0.1), (t) => elu(t), (t) => gelu(t), (t) => softplus(t), (t) => clamp(t, -1, 1),
    ];
    for (const f of ops) await expectSameOnGpu(f, [SPECIAL], 2e-6);
  });

  it('maximum, minimum and comparisons', async () => {
    for (const f of [maximum, minimum, eq, ne, lt, le, gt, ge]) await expectSameOnGpu(f, [SPECIAL, OTHER], 0);
  });

  it('max, min, argmax, argmin and the running argmax', async () => {
    const rows = tensor([[1, NaN, 3, NaN], [2, 5, -Infinity, 1], [NaN, 0, 0, 7]]);
    for (const f of [(t: Tensor) => max(t, 1), (t: Tensor) => min(t, 0), (t: Tensor) => max(t), (t: Tensor) => argmax(t, 1), (t: Tensor) => argmin(t, 0)]) {
      await expectSameOnGpu(f, [rows], 0);
    }
    await expectSameOnGpu((t) => wrap(runKernel('cummaxIndices', [t], { axis: 1 })), [rows], 0);
  });

  it('softmax and logSoftmax of lines with NaN and infinities', async () => {
    const rows = tensor([[1, NaN, 3], [2, -Infinity, 1], [-Infinity, -Infinity, -Infinity], [0, Infinity, 1]]);
    await expectSameOnGpu((t) => softmax(t, 1), [rows], 1e-6);
    await expectSameOnGpu((t) => logSoftmax(t, 1), [rows], 1e-6);
  });

  it('casts of NaN and infinities', async () => {
    await expectSameOnGpu((t) => cast(t, 'int32'), [SPECIAL], 0);
    await expectSameOnGpu((t) => cast(t, 'bool'), [SPECIAL], 0);
  });
});
