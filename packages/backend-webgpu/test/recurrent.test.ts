// The fused LSTM cell kernels on the GPU against cpu: the forward's flat output (h', c', the activated
// gates) and the backward's (grad gates, grad c), with a hidden size that is not a multiple of four.
import { beforeAll, describe, it } from 'vitest';
import { runKernel, wrap, type Tensor } from '@backprop/tensor';
import { expectSameOnGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

const cell = (gates: Tensor, c: Tensor): Tensor => wrap(runKernel('lstmCell', [gates, c], { hidden: c.shape[1] }));

describe('lstmCell kernels match cpu', () => {
  for (const [N, H] of [[3, 5], [4, 16]]) {
    const gates = random([N, 4 * H], N * 10 + H, 3);
    const c = random([N, H], N * 10 + H + 1);
    it(`lstmCell, N ${N}, H ${H}`, async () => {
      await expectSameOnGpu(cell, [gates, c], 1e-5);
    });
    it(`lstmCellBackward, N ${N}, H ${H}`, async () => {
      const g = random([6 * N * H], N * 10 + H + 2);
      await expectSameOnGpu(
        (gr, x, cc) => wrap(runKernel('lstmCellBackward', [gr, cell(x, cc), cc], { hidden: H })), [g, gates, c], 1e-5,
      );
    });
  }
});
