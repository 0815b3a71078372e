// The text page's model on wasm and on webgpu in Node (Dawn on SwiftShader where there is no GPU), the
// same code as on cpu: its losses follow the cpu run's, and a sample reads its values asynchronously.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '@backprop/backend-wasm';
import { useWebGpuBackend } from '@backprop/backend-webgpu';
import { setBackend } from '@backprop/tensor';
import { CharModel, DEFAULT_TEXT } from '../src/textgen/model.js';

beforeAll(async () => {
  await useWasmBackend();
  await useWebGpuBackend();
  setBackend('cpu');
});
afterAll(() => setBackend('cpu'));

async function losses(steps: number): Promise<{ model: CharModel; losses: number[] }> {
  const model = new CharModel(DEFAULT_TEXT, { hidden: 16, window: 12, batchSize: 4, seed: 5 });
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(await model.trainStep());
  return { model, losses: out };
}

describe('the text page model on the accelerated backends', () => {
  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`trains on ${backend} as on cpu, step for step, and samples`, async () => {
      setBackend('cpu');
      const reference = await losses(6);
      setBackend(backend);
      try {
        const run = await losses(6);
        for (let i = 0; i < 6; i++) expect(run.losses[i]).toBeCloseTo(reference.losses[i], 3);
        const text = await run.model.sample('twinkle', 12, 0.8, 1);
        expect(text).toHaveLength(12);
        expect([...text].every((ch) => run.model.vocabulary.includes(ch))).toBe(true);
      } finally {
        setBackend('cpu');
      }
    });
  }
});
