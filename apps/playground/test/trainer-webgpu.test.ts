// The playground's trainer on @backprop/backend-webgpu in Node (Dawn on SwiftShader where there is no GPU:
// vitest.config.ts points Vulkan at chromium's SwiftShader), the same code as on cpu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWebGpuBackend } from '@backprop/backend-webgpu';
import { setBackend } from '@backprop/tensor';
import { Trainer } from '../src/playground/trainer.js';
import { decodeConfig } from '../src/playground/state.js';

beforeAll(async () => {
  await useWebGpuBackend();
  setBackend('cpu');
});
afterAll(() => setBackend('cpu'));

describe('Trainer on webgpu', () => {
  it("trains with its parameters on the GPU, and carries them and Adam's state back to cpu", async () => {
    const config = decodeConfig('dataset=xor&layers=4,2&optimizer=adam&lr=0.03&batch=30');
    const reference = new Trainer(config);
    for (let i = 0; i < 4; i++) reference.trainEpoch();
    await reference.settle();

    setBackend('webgpu');
    const trainer = new Trainer(config);
    for (let i = 0; i < 3; i++) trainer.trainEpoch();
    const onGpu = await trainer.snapshot(2, 2);
    expect(onGpu.device).toBe('webgpu');
    expect(onGpu.history).toHaveLength(8);
    setBackend('cpu');
    await trainer.adoptBackend();
    const back = await trainer.snapshot(2, 2);
    expect(back.device).toBe('cpu');
    expect(back.layers).toEqual(onGpu.layers);
    // One more epoch on cpu lands where four on cpu do (float32 rounding apart): Adam's moments came along.
    trainer.trainEpoch();
    await trainer.settle();
    expect(trainer.epoch).toBe(4);
    expect(trainer.trainLoss).toBeCloseTo(reference.trainLoss, 4);
  });
});
