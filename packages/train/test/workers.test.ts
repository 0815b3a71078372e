import { describe, expect, it } from 'vitest';
import { Adam } from '@backprop/optim';
import { DataLoader, type Dataset } from '@backprop/datasets';
import { fit } from '../src/index.js';
// @ts-expect-error: a plain JavaScript module, the same file the workers import.
import { circleDataset } from './fixtures/circle-dataset.mjs';
import { mlp } from './helpers.js';

describe('fit over a DataLoader with worker threads', () => {
  it('trains to the same history, bit for bit, as loading in-process with the same seed', async () => {
    const run = async (numWorkers: number) => {
      const dataset = circleDataset(96, 5) as Dataset<unknown>;
      const worker = { module: new URL('./fixtures/circle-dataset.mjs', import.meta.url), exportName: 'circleDataset', args: [96, 5] };
      const data = new DataLoader(dataset, { batchSize: 16, shuffle: true, seed: 3, ...(numWorkers > 0 ? { numWorkers, worker } : {}) });
      const model = mlp([2, 8, 2], 1, 'tanh');
      return fit(model, { loss: 'crossEntropy', optimizer: new Adam(model.parameters(), { lr: 0.05 }), data, epochs: 3, seed: 0 });
    };
    const inProcess = await run(0);
    const inWorkers = await run(2);
    expect(inWorkers.epochs).toEqual(inProcess.epochs);
    expect(inWorkers.epochs[2].loss).toBeLessThan(inWorkers.epochs[0].loss);
  });
});
