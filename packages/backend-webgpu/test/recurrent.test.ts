// The fused LSTM cell kernels on the GPU against cpu: the forward's flat output (h', c', the activated
// gates) and the backward's (grad gates, grad c), with a hidden size that is not a multiple of four.
import { beforeAll, describe, it } from 'vitest';
import { narrow, runKernel, wrap, type Tensor } from '@backprop/tensor';
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

const sequence = (T: number, reverse: boolean) => (xw: Tensor, h0: Tensor, c0: Tensor, w: Tensor): Tensor =>
  wrap(runKernel('lstmSequence', [xw, h0, c0, w], { steps: T, hidden: h0.shape[1], reverse }));

describe('lstmSequence kernels match cpu', () => {
  for (const [T, N, H] of [[4, 3, 5], [3, 2, 16]]) {
    for (const reverse of [false, true]) {
      const seed = T * 100 + N * 10 + H + (reverse ? 7 : 0);
      const xw = random([T, N, 4 * H], seed, 2);
      const h0 = random([N, H], seed + 1);
      const c0 = random([N, H], seed + 2);
      const w = random([4 * H, H], seed + 3, 0.5);
      it(`lstmSequence, T ${T}, N ${N}, H ${H}, reverse ${reverse}`, async () => {
        await expectSameOnGpu(sequence(T, reverse), [xw, h0, c0, w], 1e-5);
      });
      it(`lstmSequenceBackward, T ${T}, N ${N}, H ${H}, reverse ${reverse}`, async () => {
        const n = N * H;
        const g = random([2 * T * n], seed + 4);
        await expectSameOnGpu((gr, x, h, c, ww) => {
          const all = sequence(T, reverse)(x, h, c, ww);
          const [states, gates] = [narrow(all, 0, 0, 2 * T * n), narrow(all, 0, 2 * T * n, 4 * T * n)];
          return wrap(runKernel('lstmSequenceBackward', [gr, states, gates, h, c, ww], { steps: T, hidden: H, reverse }));
        }, [g, xw, h0, c0, w], 1e-5);
      });
    }
  }
});

const gruSeq = (T: number, reverse: boolean) => (xw: Tensor, h0: Tensor, w: Tensor, b: Tensor): Tensor =>
  wrap(runKernel('gruSequence', [xw, h0, w, b], { steps: T, hidden: h0.shape[1], reverse }));

describe('gruSequence kernels match cpu', () => {
  for (const [T, N, H] of [[4, 3, 5], [3, 2, 16]]) {
    for (const reverse of [false, true]) {
      const seed = T * 100 + N * 10 + H + (reverse ? 7 : 0) + 5000;
      const xw = random([T, N, 3 * H], seed, 2);
      const h0 = random([N, H], seed + 1);
      const w = random([3 * H, H], seed + 2, 0.5);
      const b = random([3 * H], seed + 3, 0.5);
      it(`gruSequence, T ${T}, N ${N}, H ${H}, reverse ${reverse}`, async () => {
        await expectSameOnGpu(gruSeq(T, reverse), [xw, h0, w, b], 1e-5);
      });
      it(`gruSequenceBackward, T ${T}, N ${N}, H ${H}, reverse ${reverse}`, async () => {
        const n = N * H;
        const g = random([T * n], seed + 4);
        await expectSameOnGpu((gr, x, h, ww, bb) => {
          const all = gruSeq(T, reverse)(x, h, ww, bb);
          const [states, saved] = [narrow(all, 0, 0, T * n), narrow(all, 0, T * n, 4 * T * n)];
          return wrap(runKernel('gruSequenceBackward', [gr, states, saved, h, ww], { steps: T, hidden: H, reverse }));
        }, [g, xw, h0, w, b], 1e-5);
      });
    }
  }
});
