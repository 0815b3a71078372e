import '@backprop/autograd';
import { beforeAll, describe, expect, it } from 'vitest';
import { logSoftmax, matmul, oneHot, randint, relu, setBackend, tanh, Generator, type Tensor } from '@backprop/tensor';
import { expectClose, onGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

interface Params { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor }

/** Cross-entropy of a two-layer perceptron, written with the ops autograd differentiates. */
function loss(p: Params, x: Tensor, target: Tensor): Tensor {
  const h = relu(matmul(x, p.w1).add(p.b1));
  const logits = tanh(matmul(h, p.w2).add(p.b2)).mul(3);
  return logSoftmax(logits, 1).mul(target).sum().div(-x.shape[0]);
}

function params(move: (t: Tensor) => Tensor): Params {
  const make = (shape: number[], seed: number): Tensor => move(random(shape, seed, 0.5)).requiresGrad_();
  return { w1: make([5, 19], 1), b1: make([19], 2), w2: make([19, 3], 3), b2: make([3], 4) };
}

describe('a small MLP on webgpu', () => {
  it('has the loss and gradients of the same MLP on cpu', async () => {
    const x = random([13, 5], 5);
    const target = oneHot(randint(0, 3, [13], { generator: new Generator(6) }), 3);

    const cpu = params((t) => t);
    const cpuLoss = loss(cpu, x, target);
    cpuLoss.backward();

    const gpu = params(onGpu);
    setBackend('webgpu');
    let gpuLoss: Tensor;
    try {
      gpuLoss = loss(gpu, x, target);
      gpuLoss.backward();
    } finally {
      setBackend('cpu');
    }
    expect(gpuLoss.device).toBe('webgpu');
    expectClose(await gpuLoss.read(), cpuLoss.dataSync(), 1e-5);
    for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
      const g = gpu[name].grad!;
      expect(g.device).toBe('webgpu');
      expect(g.shape).toEqual(cpu[name].grad!.shape);
      expectClose(await g.read(), cpu[name].grad!.dataSync(), 1e-5);
    }
  });
});
