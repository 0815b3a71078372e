// An LSTM from @backprop/layers with a Linear head trained a few steps on webgpu on a tiny sequence task:
// its gate matmuls, activations, the backward pass through time and the Adam steps run on the GPU, and the
// run follows the same run on cpu.
import '@backprop/autograd';
import { Linear, LSTM } from '@backprop/layers';
import { mseLoss } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, randn } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWebGpu } from './helpers.js';
import { expectSameRun, train, type Setup } from './training.js';

beforeAll(startWebGpu);

// Sequences of 6 steps of 3 features for a batch of 8 ([T, N, 3]); the target is the mean of the first
// feature over time, which the LSTM must carry to its last step.
const T = 6;
const x = randn([T, 8, 3], { generator: new Generator(1) });
const target = x.narrow(2, 0, 1).mean(0);

function lstm(): Setup {
  const g = new Generator(2);
  const rnn = new LSTM(3, 10, { generator: g });
  const head = new Linear(10, 1, { generator: g });
  const params = [...rnn.namedParameters().map(([n, p]): [string, typeof p] => [`lstm.${n}`, p]), ...head.namedParameters().map(([n, p]): [string, typeof p] => [`head.${n}`, p])];
  const optimizer = new Adam(params.map(([, p]) => p), { lr: 0.02 });
  const loss = () => {
    const [out] = rnn.call(x);
    return mseLoss(head.call(out.narrow(0, T - 1, 1).squeeze(0)), target);
  };
  return { params, optimizer, loss };
}

describe('an LSTM on webgpu', () => {
  it('trains with its parameters on the GPU, following the cpu run step for step', async () => {
    const steps = 15;
    const cpu = await train('cpu', lstm, steps);
    const gpu = await train('webgpu', lstm, steps);
    expect(gpu.losses[steps - 1]).toBeLessThan(gpu.losses[0] * 0.5);
    expectSameRun(gpu, cpu, 1e-4);
  });
});
