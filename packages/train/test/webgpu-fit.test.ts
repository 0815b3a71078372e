import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { useWebGpuBackend } from '@backprop/backend-webgpu';
import { Linear, ReLU, Sequential } from '@backprop/layers';
import { crossEntropy, mseLoss } from '@backprop/losses';
import { SGD } from '@backprop/optim';
import { Generator, liveDeviceMemory, randn, setBackend, tensor } from '@backprop/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../src/index.js';

// The same model code as on cpu, trained by fit with its tensors in GPU buffers (SwiftShader without a GPU).
beforeAll(async () => {
  await useWebGpuBackend();
  setBackend('cpu');
});
afterAll(() => setBackend('cpu'));

async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('fit on webgpu', () => {
  it('trains an MLP whose parameters live on the GPU, with device memory flat across epochs', async () => {
    // The data set stays on the host, as a user's usually does; fit uploads each batch.
    const g = new Generator(0);
    const x = randn([64, 4], { generator: g });
    const y = x.narrow(1, 0, 1).mul(2).sub(x.narrow(1, 1, 1));
    setBackend('webgpu');
    const model = new Sequential(new Linear(4, 16, { generator: g }), new ReLU(), new Linear(16, 1, { generator: g }));
    const optimizer = new SGD(model.parameters(), { lr: 0.05 });
    const first = await fit(model, { data: { x, y }, loss: mseLoss, optimizer, epochs: 2, batchSize: 16, seed: 1 });
    expect(model.parameters().every((p) => p.device === 'webgpu')).toBe(true);
    await collectGarbage();
    const before = liveDeviceMemory('webgpu').allocations;
    const more = await fit(model, { data: { x, y }, loss: mseLoss, optimizer, epochs: 20, batchSize: 16, seed: 1 });
    await collectGarbage();
    const after = liveDeviceMemory('webgpu').allocations;
    expect(more.epochs.at(-1)!.loss).toBeLessThan(first.epochs[0].loss * 0.5);
    // 80 more steps, each allocating dozens of buffers: what stays alive must not grow with them.
    expect(after - before).toBeLessThan(40);
  });

  it('trains a classifier with cross-entropy on the GPU (the target-class gather runs there)', async () => {
    setBackend('cpu');
    const g = new Generator(2);
    const x = randn([96, 2], { generator: g });
    const xs = x.dataSync();
    // Three classes by angle: a task an MLP learns in a few epochs.
    const labels = Int32Array.from({ length: 96 }, (_, i) => Math.floor(((Math.atan2(xs[2 * i + 1], xs[2 * i]) + Math.PI) / (2 * Math.PI)) * 3) % 3);
    const y = tensor(labels, [96], 'int32');
    setBackend('webgpu');
    const model = new Sequential(new Linear(2, 32, { generator: g }), new ReLU(), new Linear(32, 3, { generator: g }));
    const history = await fit(model, { data: { x, y }, loss: crossEntropy, optimizer: new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 }), epochs: 15, batchSize: 32, seed: 3 });
    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss * 0.6);
  });
});
