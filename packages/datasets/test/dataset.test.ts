import { describe, expect, it } from 'vitest';
import { fill_, tensor, type Tensor } from '@backprop/tensor';
import { DataLoader, IterableDataset, Subset, TensorDataset, defaultCollate } from '../src/index.js';

const x = tensor([[1, 2], [3, 4], [5, 6]]);
const y = tensor([0, 1, 2], 'int32');

describe('TensorDataset and Subset', () => {
  it('gives the i-th rows of every tensor, as copies', () => {
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(xi.shape).toEqual([2]);
    expect(xi.toArray()).toEqual([3, 4]);
    expect(yi.shape).toEqual([]);
    expect(yi.dtype).toBe('int32');
    expect(yi.item()).toBe(1);
    fill_(xi, 99);
    expect(x.dataSync()[2]).toBe(3);
  });

  it('rejects tensors of different lengths and indices out of range', () => {
    expect(() => new TensorDataset(x, tensor([0, 1], 'int32'))).toThrow(/tensor 1 has shape \[2\] but tensor 0 has 3 rows/);
    expect(() => new TensorDataset(x).get(3)).toThrow(/TensorDataset.get: index 3 is outside \[0, 3\)/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
  });

  it('Subset maps its indices into the dataset', () => {
    const sub = new Subset(new TensorDataset(x, y), [2, 0]);
    expect(sub.length).toBe(2);
    expect(sub.get(0)[1].item()).toBe(2);
    expect(sub.get(1)[1].item()).toBe(0);
    expect(() => new Subset(new TensorDataset(x), [5])).toThrow(/Subset: index 5/);
  });
});

describe('defaultCollate', () => {
  it('stacks tensors keeping their dtype and turns numbers into int32 or float32', () => {
    const [xb, labels, targets] = defaultCollate([
      [tensor([1, 2]), 3, 0.5],
      [tensor([3, 4]), 7, 1],
    ]);
    expect(xb.shape).toEqual([2, 2]);
    expect(xb.dtype).toBe('float32');
    expect(labels.dtype).toBe('int32');
    expect(labels.toArray()).toEqual([3, 7]);
    expect(targets.dtype).toBe('float32');
    expect(targets.toArray()).toEqual([0.5, 1]);
  });

  it('collates objects key by key and names the item that does not match', () => {
    const batch = defaultCollate([{ image: tensor([1]), label: 1 }, { image: tensor([2]), label: 0 }]);
    expect(batch.image.toArray()).toEqual([[1], [2]]);
    expect(batch.label.toArray()).toEqual([1, 0]);
    expect(() => defaultCollate([tensor([1, 2]), tensor([1])])).toThrow(/item 1 is float32 \[1\] but item 0 is float32 \[2\]/);
    expect(() => defaultCollate<unknown>([1, 'a'])).toThrow(/batch of item 1 is not a number/);
  });
});

describe('IterableDataset', () => {
  const rows = function* (): Generator<Tensor> {
    for (let i = 0; i < 5; i++) yield tensor([i, i * i]);
  };

  it('streams batches synchronously from a generator function, once per epoch', () => {
    const loader = new DataLoader(new IterableDataset(rows), { batchSize: 2 });
    for (let epoch = 0; epoch < 2; epoch++) {
      const shapes = [...loader].map((b) => b.shape);
      expect(shapes).toEqual([[2, 2], [2, 2], [1, 2]]);
    }
    expect([...new DataLoader(new IterableDataset(rows), { batchSize: 2, dropLast: true })]).toHaveLength(2);
    expect(() => loader.length).toThrow(/IterableDataset has no length/);
  });

  it('streams from an async generator with for await, and refuses sync iteration of it', async () => {
    const ds = new IterableDataset(async function* () {
      for (let i = 0; i < 3; i++) yield [tensor([i]), i] as [Tensor, number];
    });
    const batches: [Tensor, Tensor][] = [];
    for await (const b of new DataLoader(ds, { batchSize: 2 })) batches.push(b);
    expect(batches.map(([xb, yb]) => [xb.toArray(), yb.toArray()])).toEqual([
      [[[0], [1]], [0, 1]],
      [[[2]], [2]],
    ]);
    expect(() => [...new DataLoader(ds)]).toThrow(/source is async; iterate with for await/);
  });

  it('reads a plain iterator once and says how to iterate again', async () => {
    const ds = new IterableDataset(rows());
    const loader = new DataLoader(ds, { batchSize: 5 });
    let count = 0;
    for await (const b of loader) count += b.shape[0];
    expect(count).toBe(5);
    expect(() => [...loader]).toThrow(/used up by an earlier pass; pass a function/);
  });

  it('cannot be shuffled', () => {
    expect(() => new DataLoader(new IterableDataset(rows), { shuffle: true })).toThrow(/shuffle needs a map-style Dataset/);
  });
});
