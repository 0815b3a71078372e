import { describe, it } from 'vitest';
import { Generator } from '@backprop/tensor';
import {
  ELU, Flatten, GELU, HardTanh, Identity, LeakyReLU, Linear, LogSoftmax, Maxout, ReLU, Reshape, Residual, Sequential, Sigmoid, Softmax, Softplus, Tanh,
} from '@backprop/layers';
import { expectOrtMatches } from './helpers.js';

const generator = () => new Generator(7);

describe('each layer matches onnxruntime, at the example batch size and another one', () => {
  it('Linear on matrices (Gemm), without bias, and on rank-3 inputs (MatMul)', async () => {
    await expectOrtMatches(new Linear(5, 3, { generator: generator() }), { inputShape: [4, 5] });
    await expectOrtMatches(new Linear(5, 3, { bias: false, generator: generator() }), { inputShape: [4, 5] });
    await expectOrtMatches(new Linear(5, 3, { generator: generator() }), { inputShape: [2, 6, 5] });
  });

  it('Maxout, on matrices and rank-3 inputs, before and after ReduceMax took axes as an input (opset 18)', async () => {
    for (const opset of [17, 18]) {
      await expectOrtMatches(new Maxout(6, 4, 3, { generator: generator() }), { inputShape: [3, 6], opset });
      await expectOrtMatches(new Maxout(6, 4, 3, { generator: generator() }), { inputShape: [2, 5, 6], opset });
    }
  });

  it.each([
    ['Sigmoid', new Sigmoid()],
    ['Tanh', new Tanh()],
    ['ReLU', new ReLU()],
    ['LeakyReLU(0.2)', new LeakyReLU(0.2)],
    ['ELU(0.7)', new ELU(0.7)],
    ['HardTanh(-0.5, 1.5)', new HardTanh(-0.5, 1.5)],
    ['Softmax(1)', new Softmax(1)],
    ['Softmax(-1) on rank 3', new Softmax(-1)],
    ['Softmax(0)', new Softmax(0)],
    ['LogSoftmax(-1)', new LogSoftmax(-1)],
    ['Identity', new Identity()],
  ])('%s', async (name, layer) => {
    await expectOrtMatches(layer, { inputShape: name.includes('rank 3') ? [2, 3, 5] : [3, 5] });
  });

  it('GELU (exact and tanh) as an Erf/Tanh composition before opset 20 and as Gelu from 20', async () => {
    for (const opset of [17, 20]) {
      await expectOrtMatches(new GELU(), { inputShape: [3, 8], opset });
      await expectOrtMatches(new GELU('tanh'), { inputShape: [3, 8], opset });
    }
  });

  it('Softplus with beta 1, another beta, and a threshold small enough to matter', async () => {
    await expectOrtMatches(new Softplus(), { inputShape: [4, 6], scale: 15 });
    await expectOrtMatches(new Softplus(2), { inputShape: [4, 6], scale: 15 });
    await expectOrtMatches(new Softplus(0.5, 1), { inputShape: [4, 6], scale: 4 });
    await expectOrtMatches(new Softplus(1, 2), { inputShape: [4, 6], scale: 4 });
  });

  it('Flatten with the default dims (Flatten op) and others (Reshape keeping the batch dynamic)', async () => {
    await expectOrtMatches(new Flatten(), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(new Flatten(2, 3), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(new Flatten(1, 2), { inputShape: [2, 3, 4, 5] });
    await expectOrtMatches(new Flatten(0, 1), { inputShape: [2, 3, 4] });
    await expectOrtMatches(new Flatten(0, -1), { inputShape: [2, 3, 4] });
  });

  it('Reshape, with and without a −1', async () => {
    await expectOrtMatches(new Reshape([3, 4]), { inputShape: [2, 12] });
    await expectOrtMatches(new Reshape([2, -1, 2]), { inputShape: [2, 3, 4] });
  });

  it('Residual and Sequential', async () => {
    const block = new Residual(new Sequential(new Linear(6, 6, { generator: generator() }), new Tanh()));
    await expectOrtMatches(block, { inputShape: [3, 6] });
    await expectOrtMatches(new Residual(new Identity()), { inputShape: [3, 6] });
    await expectOrtMatches(new Sequential(), { inputShape: [3, 6] });
  });
});
