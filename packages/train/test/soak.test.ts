import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { useWasmBackend } from '@backprop/backend-wasm';
import { Linear, ReLU, Sequential } from '@backprop/layers';
import { mseLoss } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, randn, setBackend } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';

// A plain user loop (no fit): forward, loss, backward, a fused Adam step, and reading the loss, 10,000 times.
// Tensors are garbage-collected values, so the process's memory must not grow with the steps.
afterAll(() => setBackend('cpu'));

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function rssGrowthMB(backend: 'cpu' | 'wasm'): Promise<{ early: number; late: number }> {
  if (backend === 'wasm') await useWasmBackend();
  else setBackend('cpu');
  const g = new Generator(0);
  const model = new Sequential(new Linear(16, 32, { generator: g }), new ReLU(), new Linear(32, 1, { generator: g }));
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([32, 16], { generator: g });
  const y = randn([32, 1], { generator: g });
  const rssAt = (): number => {
    gc();
    return process.memoryUsage().rss / 2 ** 20;
  };
  let early = 0;
  for (let step = 1; step <= 10_000; step++) {
    optimizer.zeroGrad();
    const loss = mseLoss(model.call(x), y);
    loss.backward();
    optimizer.step();
    if (!Number.isFinite(loss.item())) throw new Error(`the loss became ${loss.item()} at step ${step}`);
    if (step === 1_000) early = rssAt();
  }
  return { early, late: rssAt() };
}

describe('10,000 training steps in a plain loop', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`keep the process's memory flat on ${backend}`, { timeout: 120_000 }, async () => {
      const { early, late } = await rssGrowthMB(backend);
      // Measured here: a few MB of noise either way; a leak of one step's tensors would be hundreds.
      console.log(`soak ${backend}: rss ${early.toFixed(1)} MB at step 1,000, ${late.toFixed(1)} MB at step 10,000`);
      expect(late - early).toBeLessThan(24);
    });
  }
});
