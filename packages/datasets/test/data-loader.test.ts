import { describe, expect, it } from 'vitest';
import { Generator, arange, type Tensor } from '@backprop/tensor';
import { DataLoader, TensorDataset, type Dataset } from '../src/index.js';

const n = 10;
const ds = new TensorDataset(arange(0, n * 3, 1, { dtype: 'float32' }).reshape([n, 3]), arange(n));

/** The sample indices in the order one epoch visits them (y holds each row's index). */
const epochOrder = (loader: Iterable<Tensor[]>): number[] => [...loader].flatMap(([, yb]) => yb.toFlatArray());

describe('DataLoader', () => {
  it('batches rows in order: x float32 [B, 3], y int32 [B], last batch smaller', () => {
    const loader = new DataLoader(ds, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([xb]) => xb.shape)).toEqual([[4, 3], [4, 3], [2, 3]]);
    expect(batches[0][0].dtype).toBe('float32');
    expect(batches[0][1].dtype).toBe('int32');
    expect(batches[1][0].toArray()).toEqual([[12, 13, 14], [15, 16, 17], [18, 19, 20], [21, 22, 23]]);
    expect(epochOrder(loader)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('drops the last partial batch with dropLast and defaults to batches of one', () => {
    const loader = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader]).toHaveLength(2);
    expect(new DataLoader(ds).length).toBe(10);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });

  it('shuffles with a fresh permutation every epoch, and the same seed repeats the sequence', () => {
    const a = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const b = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const epochsA = [epochOrder(a), epochOrder(a), epochOrder(a)];
    const epochsB = [epochOrder(b), epochOrder(b), epochOrder(b)];
    expect(epochsA).toEqual(epochsB);
    for (const order of epochsA) expect([...order].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochsA[0]).not.toEqual(epochsA[1]);
    expect(epochOrder(new DataLoader(ds, { shuffle: true, seed: 8 }))).not.toEqual(epochsA[0]);
  });

  it('draws from a shared generator, and rejects a generator together with a seed', () => {
    const g1 = new Generator(3);
    const g2 = new Generator(3);
    expect(epochOrder(new DataLoader(ds, { shuffle: true, generator: g1 }))).toEqual(
      epochOrder(new DataLoader(ds, { shuffle: true, generator: g2 })),
    );
    expect(g1.getState()).toEqual(g2.getState());
    expect(() => new DataLoader(ds, { shuffle: true, seed: 1, generator: g1 })).toThrow(/either a generator or a seed/);
  });

  it('uses a custom collate and iterates asynchronously too', async () => {
    const squares: Dataset<number> = { length: 5, get: (i) => i * i };
    const loader = new DataLoader(squares, { batchSize: 2, collate: (items) => items.reduce((s, v) => s + v, 0) });
    expect([...loader]).toEqual([1, 13, 16]);
    const sums: number[] = [];
    for await (const s of loader) sums.push(s);
    expect(sums).toEqual([1, 13, 16]);
    const batches = [...new DataLoader(squares, { batchSize: 5 })];
    expect(batches[0].toArray()).toEqual([0, 1, 4, 9, 16]);
  });
});
