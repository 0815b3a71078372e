import { useWebGpuBackend, webgpuMemoryInfo } from '@backprop/backend-webgpu';
import { Linear, ReLU, Sequential } from '@backprop/layers';
import { mseLoss } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, liveDeviceMemory, randn, setBackend } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { fit, type Callback } from '../src/index.js';
import { collectGarbage } from './helpers.js';

// 10,000 steps of fit with its tensors in GPU buffers (SwiftShader without a GPU). Device buffers return to
// the backend's pool only when the garbage collector finalizes their tensors, and V8 collects on its own
// schedule (it cannot see GPU memory): left alone, up to a few hundred steps of garbage wait, so the pool's
// high-water mark settles only after some thousands of steps. Collecting every 100 steps bounds that lag,
// so once the pool covers it, what is held and what the backend has ever created must stay flat.
afterAll(() => setBackend('cpu'));

describe('10,000 steps of fit on webgpu', () => {
  it('keep live device memory and the buffers created flat', { timeout: 300_000 }, async () => {
    await useWebGpuBackend();
    setBackend('cpu');
    const g = new Generator(0);
    // 40 samples in batches of 4: 10 steps an epoch, 1,000 epochs.
    const x = randn([40, 2], { generator: g });
    const y = x.narrow(1, 0, 1).sub(x.narrow(1, 1, 1).mul(0.5));
    setBackend('webgpu');
    const model = new Sequential(new Linear(2, 8, { generator: g }), new ReLU(), new Linear(8, 1, { generator: g }));
    const checkpoints: { step: number; bytes: number; allocations: number; created: number }[] = [];
    const started = Date.now();
    const watch: Callback = {
      // An epoch is 10 steps.
      async onEpochEnd(ctx) {
        if (ctx.globalStep % 100 !== 0) return;
        await collectGarbage(2);
        if (ctx.globalStep === 1_000 || ctx.globalStep === 10_000) checkpoints.push({ step: ctx.globalStep, ...liveDeviceMemory('webgpu'), created: webgpuMemoryInfo().created });
      },
    };
    const history = await fit(model, {
      data: { x, y }, loss: mseLoss, optimizer: new Adam(model.parameters(), { lr: 1e-2 }), epochs: 1_000, batchSize: 4, seed: 1, callbacks: [watch],
    });
    const [early, late] = checkpoints;
    console.log(
      `webgpu soak: ${((Date.now() - started) / 10_000).toFixed(2)} ms a step; live ${early.allocations} allocations (${early.bytes} B) at step 1,000, ` +
        `${late.allocations} (${late.bytes} B) at step 10,000; buffers created ${early.created} then ${late.created}`,
    );
    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss * 0.1);
    expect(model.parameters().every((p) => p.device === 'webgpu')).toBe(true);
    expect(checkpoints.map((c) => c.step)).toEqual([1_000, 10_000]);
    // A leak of one tensor a step would hold 9,000 more allocations; a pool that failed to reuse one buffer a
    // step would create 9,000 more.
    expect(late.allocations - early.allocations).toBeLessThan(50);
    expect(late.bytes - early.bytes).toBeLessThan(16_384);
    expect(late.created - early.created).toBeLessThan(500);
  });
});
