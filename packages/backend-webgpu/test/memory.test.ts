import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { liveDeviceMemory, setBackend, type Tensor } from '@backprop/tensor';
import { webgpuMemoryInfo } from '../src/index.js';
import { onGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);
afterEach(() => setBackend('cpu'));

async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Finalizers run in tasks after a collection: give them a few turns.
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

it('holds flat GPU memory over 2,000 steps that each await a value', async () => {
  const x = onGpu(random([8, 64], 1));
  setBackend('webgpu');
  // Four kernels a step, each result garbage by the next: what a training step leaves behind.
  const step = (): Tensor => x.mul(0.5).add(x).relu().sum(1);
  for (let i = 0; i < 20; i++) await step().read();
  await collectGarbage();
  const live = liveDeviceMemory('webgpu');
  const pool = webgpuMemoryInfo();
  for (let i = 0; i < 2000; i++) {
    await step().read();
  }
  await collectGarbage();
  const after = liveDeviceMemory('webgpu');
  const end = webgpuMemoryInfo();
  // Every step's buffers went back: live tensors and buffers in use are as before the loop, give or take
  // one step's results whose finalizers have not run yet.
  expect(after.allocations - live.allocations).toBeLessThanOrEqual(10);
  expect(after.bytes - live.bytes).toBeLessThanOrEqual(10 * 8 * 64 * 4);
  expect(end.inUse - pool.inUse).toBeLessThanOrEqual(10);
  // The loop held 10,000 buffers (four results and one uploaded scalar a step) besides the parameters of
  // each dispatch. New ones are created only while the garbage collector lags behind (it frees tensors
  // hundreds of steps late), so the pool served part of them, and the parameter buffers every time.
  expect(end.created - pool.created).toBeLessThan(10_000);
  expect(end.pooled).toBeGreaterThan(pool.pooled);
});
