// LeNet-5 from @backprop/layers trained a few steps on webgpu: its convolutions, pooling, matmuls and
// SGD steps run on the GPU, and the run follows the same run on cpu.
import '@backprop/autograd';
import { AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Tanh } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { SGD } from '@backprop/optim';
import { Generator, randint, randn } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWebGpu } from './helpers.js';
import { expectSameRun, train, type Setup } from './training.js';

beforeAll(startWebGpu);

// Eight 28×28 images with random labels: fitting them is a task a few steps show progress on.
const images = randn([8, 1, 28, 28], { generator: new Generator(1) });
const labels = randint(0, 10, [8], { generator: new Generator(2), dtype: 'int32' });

function lenet(): Setup {
  const g = new Generator(3);
  const model = new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, generator: g }), new Tanh(), new AvgPool2d(2),
    new Conv2d(6, 16, 5, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(400, 120, { generator: g }), new ReLU(), new Linear(120, 84, { generator: g }), new ReLU(), new Linear(84, 10, { generator: g }),
  );
  const optimizer = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
  return { params: model.namedParameters(), optimizer, loss: () => crossEntropy(model.call(images), labels) };
}

describe('LeNet-5 on webgpu', () => {
  it('trains with its parameters on the GPU, following the cpu run step for step', async () => {
    const steps = 8;
    const cpu = await train('cpu', lenet, steps);
    const gpu = await train('webgpu', lenet, steps);
    expect(gpu.losses[steps - 1]).toBeLessThan(gpu.losses[0] * 0.8);
    expectSameRun(gpu, cpu, 1e-4);
  });
});
