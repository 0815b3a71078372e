import { describe, expect, it } from 'vitest';
import { arange, tensor } from '@backprop/tensor';
import {
  BatchSampler, DataLoader, RandomSampler, SequentialSampler, StratifiedSampler, SubsetRandomSampler, TensorDataset,
  WeightedRandomSampler,
} from '../src/index.js';

const sorted = (v: number[]): number[] => [...v].sort((a, b) => a - b);

describe('samplers', () => {
  it('SequentialSampler and BatchSampler give the indices in order and in groups', () => {
    expect([...new SequentialSampler(5)]).toEqual([0, 1, 2, 3, 4]);
    expect([...new BatchSampler(new SequentialSampler(5), 2)]).toEqual([[0, 1], [2, 3], [4]]);
    expect([...new BatchSampler(new SequentialSampler(5), 2, true)]).toEqual([[0, 1], [2, 3]]);
    expect(new BatchSampler(new SequentialSampler(5), 2).length).toBe(3);
  });

  it('RandomSampler draws a new permutation each epoch, the same sequence for the same seed', () => {
    const a = new RandomSampler(10, { seed: 3 });
    const b = new RandomSampler(10, { seed: 3 });
    const epochs = [[...a], [...a]];
    expect(epochs).toEqual([[...b], [...b]]);
    expect(sorted(epochs[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochs[0]).not.toEqual(epochs[1]);
    const withReplacement = [...new RandomSampler(3, { replacement: true, numSamples: 50, seed: 0 })];
    expect(withReplacement).toHaveLength(50);
    expect(new Set(withReplacement)).toEqual(new Set([0, 1, 2]));
    expect(() => new RandomSampler(3, { numSamples: 4 })).toThrow(/numSamples 4 exceeds n 3/);
  });

  it('SubsetRandomSampler permutes only the given indices', () => {
    const s = new SubsetRandomSampler([7, 3, 9], { seed: 1 });
    expect(sorted([...s])).toEqual([3, 7, 9]);
    expect(s.length).toBe(3);
  });

  it('WeightedRandomSampler draws in proportion to the weights and never a zero weight', () => {
    const draws = [...new WeightedRandomSampler([0, 1, 3], 4000, { seed: 0 })];
    const count = (k: number) => draws.filter((d) => d === k).length;
    expect(count(0)).toBe(0);
    expect(count(2) / count(1)).toBeGreaterThan(2.6);
    expect(count(2) / count(1)).toBeLessThan(3.4);
    const noReplacement = [...new WeightedRandomSampler([1, 0, 5, 2], 3, { replacement: false, seed: 0 })];
    expect(sorted(noReplacement)).toEqual([0, 2, 3]);
    expect(() => new WeightedRandomSampler([1, 0], 2, { replacement: false })).toThrow(/exceeds the 1 indices of positive weight/);
  });

  it('StratifiedSampler spreads every class evenly over the epoch', () => {
    // 40 of class 0, 10 of class 1, sorted by class as Iris is.
    const labels = Array.from({ length: 50 }, (_, i) => (i < 40 ? 0 : 1));
    const order = [...new StratifiedSampler(labels, { seed: 2 })];
    expect(sorted(order)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let start = 0; start < 50; start += 10) {
      const ones = order.slice(start, start + 10).filter((i) => labels[i] === 1).length;
      expect(ones).toBeGreaterThanOrEqual(1);
      expect(ones).toBeLessThanOrEqual(3);
    }
  });

  it('DataLoader takes a sampler or a batchSampler, and rejects combinations PyTorch rejects', () => {
    const ds = new TensorDataset(arange(0, 6, 1, { dtype: 'float32' }).reshape([6, 1]), arange(6));
    const fromSampler = [...new DataLoader(ds, { batchSize: 4, sampler: new SubsetRandomSampler([5, 4, 1], { seed: 0 }) })];
    expect(sorted(fromSampler.flatMap(([, y]) => y.toFlatArray()))).toEqual([1, 4, 5]);
    const fromBatches = [...new DataLoader(ds, { batchSampler: [[5, 0], [2]] })];
    expect(fromBatches.map(([, y]) => y.toArray())).toEqual([[5, 0], [2]]);
    expect(new DataLoader(ds, { batchSampler: new BatchSampler(new SequentialSampler(6), 4) }).length).toBe(2);
    expect(() => new DataLoader(ds, { batchSampler: [[0]], batchSize: 2 })).toThrow(/do not also give batchSize/);
    expect(() => new DataLoader(ds, { sampler: new SequentialSampler(6), shuffle: true })).toThrow(/either sampler or shuffle/);
    expect(() => new StratifiedSampler(tensor([[0, 1]]))).toThrow(/labels must be 1-d/);
  });
});

describe('DataLoader options', () => {
  const ds = new TensorDataset(arange(0, 4, 1, { dtype: 'float32' }).reshape([4, 1]));
  it('rejects an unknown option by name, with the closest valid one', () => {
    expect(() => new DataLoader(ds, { numWorker: 2 } as never)).toThrow(/unknown option "numWorker"; did you mean "numWorkers"\?/);
    expect(() => new DataLoader(ds, { batchsize: 2 } as never)).toThrow(/unknown option "batchsize"; did you mean "batchSize"/);
  });

  it('checks numWorkers and needs a worker module for it', () => {
    expect(() => new DataLoader(ds, { numWorkers: -1 })).toThrow(/numWorkers must be a non-negative integer, got -1/);
    expect(() => new DataLoader(ds, { numWorkers: 2 })).toThrow(/numWorkers > 0 needs worker: \{ module, exportName, args \}/);
    expect(() => new DataLoader(ds, { worker: { module: 'x.mjs' } })).toThrow(/worker is used only with numWorkers > 0/);
    const loader = new DataLoader(ds, { numWorkers: 1, worker: { module: 'x.mjs' } });
    expect(() => [...loader]).toThrow(/iterate with for await/);
  });
});
