import '@backprop/autograd';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamStep_, logSoftmax, matmul, oneHot, randint, relu, setBackend, tanh, zerosLike, Generator, type Tensor } from '@backprop/tensor';
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

  it('trains with fused Adam steps on the GPU, following the cpu run step for step', async () => {
    const x = random([16, 5], 7);
    const target = oneHot(randint(0, 3, [16], { generator: new Generator(8) }), 3);
    const train = async (p: Params): Promise<number[]> => {
      const names = ['w1', 'b1', 'w2', 'b2'] as const;
      const moments = names.map((k) => [zerosLike(p[k]), zerosLike(p[k])]);
      const losses: number[] = [];
      for (let step = 1; step <= 25; step++) {
        for (const k of names) p[k].grad = null;
        const l = loss(p, x, target);
        l.backward();
        losses.push((await l.read())[0]);
        names.forEach((k, j) => {
          const [m, v] = moments[j];
          const options = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false };
          adamStep_(p[k], p[k].grad!, m, v, v, { ...options, stepSize: 0.05 / (1 - 0.9 ** step), bias2Sqrt: Math.sqrt(1 - 0.999 ** step), shrink: 1 });
        });
      }
      return losses;
    };
    const cpuLosses = await train(params((t) => t));
    const gpu = params(onGpu);
    setBackend('webgpu');
    let gpuLosses: number[];
    try {
      gpuLosses = await train(gpu);
    } finally {
      setBackend('cpu');
    }
    expect(gpu.w1.device).toBe('webgpu');
    expect(gpuLosses[24]).toBeLessThan(gpuLosses[0] * 0.5);
    expectClose(gpuLosses, cpuLosses, 1e-4);
  });
});
