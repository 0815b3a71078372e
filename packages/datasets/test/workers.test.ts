import { describe, expect, it } from 'vitest';
import { DataLoader, type Dataset } from '../src/index.js';
// @ts-expect-error: a plain JavaScript module, the same file the workers import.
import { makeDataset } from './fixtures/worker-dataset.mjs';

const module = new URL('./fixtures/worker-dataset.mjs', import.meta.url);
const flat = (batches: unknown[][]) => batches.map((b) => (b as { toFlatArray(): number[] }[]).map((t) => t.toFlatArray()));

async function epochs(loader: AsyncIterable<unknown[]>, count: number): Promise<number[][][][]> {
  const out = [];
  for (let e = 0; e < count; e++) {
    const batches: unknown[][] = [];
    for await (const b of loader) batches.push(b);
    out.push(flat(batches));
  }
  return out;
}

describe('DataLoader with numWorkers', () => {
  it('gives the same batches, in the same order, as loading in-process with the same seed', async () => {
    const ds = makeDataset(23, 2) as Dataset<unknown>;
    const options = { batchSize: 4, shuffle: true, seed: 11 };
    const inProcess = await epochs(new DataLoader(ds, options) as AsyncIterable<unknown[]>, 2);
    const inWorkers = await epochs(
      new DataLoader(ds, { ...options, numWorkers: 2, worker: { module, exportName: 'makeDataset', args: [23, 2] } }) as AsyncIterable<unknown[]>,
      2,
    );
    expect(inWorkers).toEqual(inProcess);
    expect(inWorkers[0]).toHaveLength(6);
    expect(inWorkers[0]).not.toEqual(inWorkers[1]);
  });

  it('reports an item that fails in a worker with the batch and the worker message', async () => {
    const loader = new DataLoader(makeDataset(4, 1) as Dataset<unknown>, { batchSize: 1, numWorkers: 2, worker: { module, exportName: 'failingDataset' } });
    await expect(epochs(loader as AsyncIterable<unknown[]>, 1)).rejects.toThrow(/a loading worker failed on batch 3: Error: item 2 is unreadable/);
    const missing = new DataLoader(makeDataset(4, 1) as Dataset<unknown>, { numWorkers: 1, worker: { module, exportName: 'nope' } });
    await expect(epochs(missing as AsyncIterable<unknown[]>, 1)).rejects.toThrow(/has no function export "nope"/);
  });
});
