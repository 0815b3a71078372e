import { describe, expect, it } from 'vitest';
import { arange, tensor } from '@backprop/tensor';
import { TensorDataset, randomSplit, stratifiedSplit, trainTestSplit } from '../src/index.js';

const ds = new TensorDataset(arange(0, 20, 1, { dtype: 'float32' }).reshape([10, 2]), arange(10));
/** 60 of class 0, 30 of class 1, 10 of class 2, interleaved. */
const labels = Int32Array.from({ length: 100 }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));

const countsOf = (idx: number[]): number[] => [0, 1, 2].map((c) => idx.filter((i) => labels[i] === c).length);

describe('randomSplit', () => {
  it('splits by fractions into disjoint subsets covering the dataset, PyTorch-style remainders', () => {
    const parts = randomSplit(ds, [0.5, 0.25, 0.25], { seed: 0 });
    expect(parts.map((p) => p.length)).toEqual([6, 2, 2]); // floor(5, 2.5, 2.5), leftover to the first
    const all = parts.flatMap((p) => [...p.indices]).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parts[1].get(0)[1].item()).toBe(parts[1].indices[0]);
  });

  it('takes lengths, is deterministic for a seed and rejects bad parts', () => {
    const a = randomSplit(ds, [7, 3], { seed: 5 }).map((p) => p.indices);
    expect(a.map((p) => p.length)).toEqual([7, 3]);
    expect(randomSplit(ds, [7, 3], { seed: 5 }).map((p) => p.indices)).toEqual(a);
    expect(randomSplit(ds, [7, 3], { seed: 6 }).map((p) => p.indices)).not.toEqual(a);
    expect(() => randomSplit(ds, [0.5, 0.4])).toThrow(/randomSplit: \[0.5, 0.4\] are neither lengths summing to 10 nor fractions/);
  });
});

describe('stratifiedSplit', () => {
  it('keeps every class in the given proportions', () => {
    const [train, test] = stratifiedSplit(labels, [0.7, 0.3], { seed: 1 });
    expect(countsOf(train)).toEqual([42, 21, 7]);
    expect(countsOf(test)).toEqual([18, 9, 3]);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('gives leftovers to the largest remainders (within one per class) and is deterministic', () => {
    const parts = stratifiedSplit(tensor(Array.from(labels), 'int32'), [0.5, 0.25, 0.25], { seed: 2 });
    expect(parts.map(countsOf)).toEqual([
      [30, 15, 5],
      [15, 8, 3],
      [15, 7, 2],
    ]);
    expect(stratifiedSplit(labels, [0.5, 0.25, 0.25], { seed: 2 })).toEqual(parts);
    expect(stratifiedSplit(labels, [0.5, 0.25, 0.25], { seed: 3 })).not.toEqual(parts);
    expect(() => stratifiedSplit([0, 1.5], [1])).toThrow(/label 1.5 at index 1 is not an integer class/);
    expect(() => stratifiedSplit(labels, [0.6, 0.6])).toThrow(/sum to 1, got \[0.6, 0.6\]/);
  });
});

describe('trainTestSplit', () => {
  const x = tensor(Array.from(labels, (c, i) => [i, c]));
  const y = tensor(Array.from(labels), 'int32');

  it('splits rows of x and y together, rounding the test size up', () => {
    const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.25, seed: 0 });
    expect(xTrain.shape).toEqual([75, 2]);
    expect(xTest.shape).toEqual([25, 2]);
    expect(yTest.dtype).toBe('int32');
    const rows = xTest.toArray() as number[][];
    rows.forEach(([, c], k) => expect(yTest.dataSync()[k]).toBe(c));
    expect(yTrain.size + yTest.size).toBe(100);
    expect(trainTestSplit(x, y, { testSize: 0.33, seed: 0 }).xTest.shape[0]).toBe(33);
  });

  it('stratifies, keeps order without shuffle, and is deterministic', () => {
    const { yTest } = trainTestSplit(x, y, { testSize: 0.2, stratify: true, seed: 4 });
    expect([0, 1, 2].map((c) => Array.from(yTest.dataSync()).filter((v) => v === c).length)).toEqual([12, 6, 2]);
    expect(trainTestSplit(x, y, { testSize: 0.2, stratify: true, seed: 4 }).yTest.toArray()).toEqual(yTest.toArray());
    const ordered = trainTestSplit(x, y, { testSize: 10, shuffle: false });
    expect((ordered.xTest.toArray() as number[][]).map(([i]) => i)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(() => trainTestSplit(x, y, { testSize: 100 })).toThrow(/testSize 100 leaves no train or no test samples out of 100/);
    expect(() => trainTestSplit(x, y, { stratify: true, shuffle: false })).toThrow(/stratify needs shuffle/);
  });
});
