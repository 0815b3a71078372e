import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { MinMaxScale, Standardize, loadIris } from '../src/index.js';

const { x } = loadIris();
// numpy: x.mean(0), x.std(0) (population), x.min(0), x.max(0) of scikit-learn's iris
const NP_MEAN = [5.84333333, 3.05733333, 3.758, 1.19933333];
const NP_STD = [0.82530129, 0.43441097, 1.75940407, 0.75969263];

const columnStats = (t: { shape: readonly number[]; data: ArrayLike<number> }): { mean: number[]; std: number[] } => {
  const [n, d] = t.shape;
  const mean = Array.from({ length: d }, (_, j) => Array.from({ length: n }, (_, i) => t.data[i * d + j]).reduce((a, b) => a + b, 0) / n);
  const std = mean.map((m, j) => Math.sqrt(Array.from({ length: n }, (_, i) => (t.data[i * d + j] - m) ** 2).reduce((a, b) => a + b, 0) / n));
  return { mean, std };
};

describe('Standardize', () => {
  it('fits the mean and population std that numpy gives, and maps to zero mean and unit variance', () => {
    const scaler = new Standardize().fit(x);
    scaler.mean.forEach((m, j) => expect(m).toBeCloseTo(NP_MEAN[j], 6));
    scaler.std.forEach((s, j) => expect(s).toBeCloseTo(NP_STD[j], 6));
    const z = scaler.transform(x);
    expect(z.dtype).toBe('float32');
    const { mean, std } = columnStats(z);
    mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-6));
    std.forEach((s) => expect(s).toBeCloseTo(1, 5));
  });

  it('applies the training statistics to other data, inverts, and survives JSON', () => {
    const train = tensor([[0, 10], [2, 10], [4, 10]], 'float64');
    const scaler = new Standardize().fit(train);
    expect(scaler.std[1]).toBe(1); // a constant feature keeps std 1 and maps to 0
    const other = scaler.transform(tensor([[6, 10]], 'float64'));
    expect(other.dtype).toBe('float64');
    expect(other.toArray()).toEqual([[(6 - 2) / Math.sqrt(8 / 3), 0]]);
    expect(scaler.inverseTransform(other).toArray()).toEqual([[6, 10]]);
    const restored = Standardize.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(restored.transform(train).toArray()).toEqual(scaler.transform(train).toArray());
  });

  it('works per pixel on images and explains misuse', () => {
    const images = tensor([[[[0, 1], [2, 3]]], [[[4, 5], [6, 7]]]]);
    const z = new Standardize().fitTransform(images);
    expect(z.shape).toEqual([2, 1, 2, 2]);
    expect(z.toFlatArray()).toEqual([-1, -1, -1, -1, 1, 1, 1, 1]);
    expect(() => new Standardize().transform(x)).toThrow(/Standardize.transform: is not fitted/);
    expect(() => new Standardize().fit(x).transform(tensor([[1, 2]]))).toThrow(/x has shape \[1, 2\] but the transform was fitted on features \[4\]/);
    expect(() => Standardize.fromJSON({ type: 'MinMaxScale' })).toThrow(/expected JSON with type 'Standardize'/);
    expect(() => Standardize.fromJSON({ type: 'Standardize', featureShape: [2], mean: [0], std: [1, 1] })).toThrow(/field 'mean' must be an array of 2 numbers/);
  });
});

describe('MinMaxScale', () => {
  it('maps the training minimum and maximum onto the feature range', () => {
    const scaler = new MinMaxScale({ featureRange: [-1, 1] }).fit(x);
    expect(scaler.dataMin.map((v) => Math.fround(v))).toEqual([4.3, 2, 1, 0.1].map(Math.fround));
    expect(scaler.dataMax.map((v) => Math.fround(v))).toEqual([7.9, 4.4, 6.9, 2.5].map(Math.fround));
    const z = scaler.transform(x);
    const cols = [0, 1, 2, 3].map((j) => Array.from({ length: 150 }, (_, i) => z.dataSync()[i * 4 + j]));
    cols.forEach((c) => {
      expect(Math.min(...c)).toBeCloseTo(-1, 6);
      expect(Math.max(...c)).toBeCloseTo(1, 6);
    });
  });

  it('does not clip other data, inverts, handles constant features and survives JSON', () => {
    const scaler = new MinMaxScale().fit(tensor([[0, 5], [10, 5]], 'float64'));
    const z = scaler.transform(tensor([[20, 5], [5, 5]], 'float64'));
    expect(z.toArray()).toEqual([[2, 0], [0.5, 0]]);
    expect(scaler.inverseTransform(z).toArray()).toEqual([[20, 5], [5, 5]]);
    const restored = MinMaxScale.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(restored.featureRange).toEqual([0, 1]);
    expect(restored.transform(tensor([[20, 5]], 'float64')).toArray()).toEqual([[2, 0]]);
    expect(() => new MinMaxScale({ featureRange: [1, 1] })).toThrow(/featureRange must have lo < hi, got \[1, 1\]/);
  });
});
