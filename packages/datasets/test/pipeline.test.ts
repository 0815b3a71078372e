import { describe, expect, it } from 'vitest';
import { arange, tensor } from '@backprop/tensor';
import { GaussianNoise, Pipeline, TensorDataset } from '../src/index.js';

const range = (n: number) => Pipeline.from(function* () {
  for (let i = 0; i < n; i++) yield i;
});

describe('Pipeline', () => {
  it('maps, filters, takes, skips, batches and concatenates lazily, one pass per iteration', async () => {
    let reads = 0;
    const p = Pipeline.from(function* () {
      for (let i = 0; i < 100; i++) {
        reads++;
        yield i;
      }
    });
    const evensSquared = p.filter((v) => v % 2 === 0).map((v) => v * v).take(3);
    expect(reads).toBe(0);
    expect(await evensSquared.toArray()).toEqual([0, 4, 16]);
    expect(reads).toBeLessThan(10);
    expect(await evensSquared.toArray()).toEqual([0, 4, 16]);
    expect(await range(5).skip(3).concatenate(range(2)).toArray()).toEqual([3, 4, 0, 1]);
    const batches = await range(5).batch(2).toArray();
    expect(batches.map((b) => b.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(batches[0].dtype).toBe('int32');
    expect((await range(5).batch(2, { dropLast: true }).toArray()).length).toBe(2);
  });

  it('reads a map-style dataset in index order and batches [x, y] items', async () => {
    const ds = new TensorDataset(arange(0, 6, 1, { dtype: 'float32' }).reshape([3, 2]), tensor([0, 1, 2], 'int32'));
    const [[xb, yb]] = await Pipeline.from(ds).batch(3).toArray();
    expect(xb.toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(yb.toArray()).toEqual([0, 1, 2]);
  });

  it('shuffles with a buffer: a permutation per pass, the same sequence for the same seed', async () => {
    const a = range(20).shuffle(8, { seed: 5 });
    const b = range(20).shuffle(8, { seed: 5 });
    const [a1, a2] = [await a.toArray(), await a.toArray()];
    expect([a1, a2]).toEqual([await b.toArray(), await b.toArray()]);
    expect([...a1].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(a1).not.toEqual(a2);
    expect(a1).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    // A buffer of 1 keeps the order.
    expect(await range(5).shuffle(1, { seed: 0 }).toArray()).toEqual([0, 1, 2, 3, 4]);
  });

  it('lists the generators of its seeded steps, so that saving their states repeats the coming epochs', async () => {
    const p = range(10).shuffle(4, { seed: 1 }).map((v) => v * 2).concatenate(range(3).shuffle(3, { seed: 2 })).batch(4);
    expect(p.generators).toHaveLength(2);
    await p.toArray();
    const saved = p.generators.map((g) => g.getState());
    const next = (await p.toArray()).map((b) => b.toArray());
    p.generators.forEach((g, k) => g.setState(saved[k]));
    expect((await p.toArray()).map((b) => b.toArray())).toEqual(next);
    expect(Pipeline.zip(range(2).shuffle(2, { seed: 0 }), range(2)).prefetch(1).take(1).generators).toHaveLength(1);
  });

  it('repeats passes (drawing shuffles anew), zips to the shortest and prefetches without reordering', async () => {
    const twice = await range(3).shuffle(3, { seed: 1 }).repeat(2).toArray();
    expect(twice).toHaveLength(6);
    expect([...twice.slice(0, 3)].sort()).toEqual([0, 1, 2]);
    expect(await Pipeline.zip(range(3), range(5).map((v) => `s${v}`)).toArray()).toEqual([[0, 's0'], [1, 's1'], [2, 's2']]);
    const slow = range(6).map(async (v) => {
      await new Promise((r) => setTimeout(r, 6 - v));
      return v;
    });
    expect(await slow.prefetch(3).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await range(4).repeat().take(10).toArray()).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
  });

  it('runs a seeded augmentation per batch and per epoch: new noise each epoch, the same for the same seed', async () => {
    const x = arange(0, 8, 1, { dtype: 'float32' }).reshape([4, 2]);
    const make = () => {
      const noise = new GaussianNoise(0.5, { seed: 9 });
      return Pipeline.from(new TensorDataset(x)).batch(4).map(([xb]) => noise.transform(xb));
    };
    const p = make();
    const e1 = (await p.toArray())[0].toFlatArray();
    const e2 = (await p.toArray())[0].toFlatArray();
    expect(e1).not.toEqual(e2);
    const q = make();
    expect([(await q.toArray())[0].toFlatArray(), (await q.toArray())[0].toFlatArray()]).toEqual([e1, e2]);
  });

  it('unbatches batches into rows, so that a batched stream can be shuffled row by row', async () => {
    const ds = new TensorDataset(arange(0, 10, 1, { dtype: 'float32' }).reshape([5, 2]), tensor([0, 1, 2, 3, 4], 'int32'));
    const rows = await Pipeline.from(ds).batch(2).unbatch().toArray();
    expect(rows.map(([x, y]) => [x.toArray(), y.toArray()])).toEqual([0, 1, 2, 3, 4].map((i) => [[2 * i, 2 * i + 1], i]));
    const rebatched = await Pipeline.from(ds).batch(3).unbatch().shuffle(5, { seed: 0 }).batch(5).toArray();
    expect([...rebatched[0][1].toFlatArray()].sort()).toEqual([0, 1, 2, 3, 4]);
    await expect(Pipeline.from([[tensor([1, 2]), tensor([1])]]).unbatch().toArray()).rejects.toThrow(/batch 1 has tensors of 2, 1 rows/);
  });

  it('checks its arguments and names the step', () => {
    expect(() => range(3).shuffle(0)).toThrow(/Pipeline.shuffle.*bufferSize must be a positive integer, got 0/);
    expect(() => range(3).batch(1.5)).toThrow(/Pipeline.batch.*size must be a positive integer/);
    expect(() => range(3).take(-1)).toThrow(/Pipeline.take.*non-negative integer/);
    expect(() => Pipeline.zip()).toThrow(/needs at least one pipeline/);
  });

  it('reads a one-shot iterator once and says so on the second pass', async () => {
    const once = Pipeline.from((function* () {
      yield 1;
    })());
    expect(await once.toArray()).toEqual([1]);
    await expect(once.toArray()).rejects.toThrow(/used up by an earlier pass/);
  });
});
