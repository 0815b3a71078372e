import { describe, expect, it } from 'vitest';
import { Generator, Tensor, randn, tensor } from '@backprop/tensor';
import { PCAWhitening, loadDigits, loadIris, symmetricEigen } from '../src/index.js';

/** Sample covariance (divisor N − 1) of the columns of a [N, d] tensor. */
function covariance(t: Tensor): number[][] {
  const [n, d] = t.shape;
  const mean = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += t.dataSync()[i * d + j];
    return s / n;
  });
  return mean.map((mp, p) =>
    mean.map((mq, q) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (t.dataSync()[i * d + p] - mp) * (t.dataSync()[i * d + q] - mq);
      return s / (n - 1);
    }),
  );
}

function expectIdentity(c: number[][], tolerance: number): void {
  c.forEach((row, p) => row.forEach((v, q) => expect(Math.abs(v - (p === q ? 1 : 0))).toBeLessThan(tolerance)));
}

/** 500 samples of 5 strongly correlated features: a random mixing of independent normals. */
function correlated(seed: number): Tensor {
  const g = new Generator(seed);
  const z = randn([500, 5], { generator: g, dtype: 'float64' });
  const mix = randn([5, 5], { generator: g, dtype: 'float64' });
  return z.matmul(mix).add(tensor([1, -2, 3, 0, 5], 'float64'));
}

describe('symmetricEigen (Jacobi)', () => {
  it('diagonalises a known matrix', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('satisfies A V = V Λ with orthonormal V on a random symmetric matrix', () => {
    const d = 7;
    const r = randn([d, d], { generator: new Generator(9), dtype: 'float64' });
    const a = r.add(r.transpose()).dataSync();
    const { values, vectors } = symmetricEigen(a, d);
    for (let k = 0; k < d; k++) {
      if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j] * vectors[j * d + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * d + k], 9);
      }
      for (let l = 0; l < d; l++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += vectors[i * d + k] * vectors[i * d + l];
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 12);
      }
    }
  });
});

describe('PCAWhitening', () => {
  it('finds the eigenvalues numpy finds for the Iris covariance', () => {
    const white = new PCAWhitening().fit(loadIris().x);
    // numpy.linalg.eigvalsh(numpy.cov(iris.data.T)), descending
    [4.22824171, 0.24267075, 0.0782095, 0.02383509].forEach((v, k) => expect(white.eigenvalues[k]).toBeCloseTo(v, 6));
  });

  it('matches numpy on the 64-dimensional digits covariance', () => {
    const white = new PCAWhitening({ nComponents: 5 }).fit(loadDigits().x);
    // numpy.linalg.eigvalsh(numpy.cov(load_digits().data.T)), the five largest
    [179.0069301, 163.71774688, 141.78843909, 101.1003752, 69.51316559].forEach((v, k) => expect(white.eigenvalues[k]).toBeCloseTo(v, 5));
  });

  it('whitens to identity covariance, for PCA and ZCA', () => {
    const x = correlated(1);
    const white = new PCAWhitening({ epsilon: 1e-9 }).fit(x);
    const z = white.transform(x);
    expect(z.shape).toEqual([500, 5]);
    expect(z.dtype).toBe('float64');
    expectIdentity(covariance(z), 1e-6);
    const zca = new PCAWhitening({ epsilon: 1e-9, zca: true }).fit(x);
    expectIdentity(covariance(zca.transform(x)), 1e-6);
    expectIdentity(covariance(new PCAWhitening().fitTransform(loadIris().x)), 1e-3);
  });

  it('keeps the leading components, is deterministic and survives JSON', () => {
    const x = correlated(2);
    const white = new PCAWhitening({ nComponents: 2 }).fit(x);
    const z = white.transform(x);
    expect(z.shape).toEqual([500, 2]);
    expectIdentity(covariance(z), 1e-4);
    expect(new PCAWhitening({ nComponents: 2 }).fit(x).transform(x).toArray()).toEqual(z.toArray());
    const restored = PCAWhitening.fromJSON(JSON.parse(JSON.stringify(white)));
    expect(restored.transform(x).toArray()).toEqual(z.toArray());
    expect(() => new PCAWhitening({ nComponents: 6 }).fit(x)).toThrow(/nComponents must be an integer in 1..5, got 6/);
    expect(() => new PCAWhitening().fit(tensor([[1, 2]]))).toThrow(/at least 2 samples/);
  });
});
