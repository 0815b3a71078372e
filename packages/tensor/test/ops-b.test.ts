// Properties and errors of avgPool1d, adaptive max pooling, interpolate, distances, searching and counting,
// and linear algebra; values against PyTorch are in golden-ops-b.test.ts.
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { Generator, linalg, randn, tensor, type Tensor } from '../src/index.js';

const r = (shape: number[], seed = 3): Tensor => randn(shape, { generator: new Generator(seed), dtype: 'float64' });
const mT = (x: Tensor): Tensor => x.transpose(-2, -1);

function expectNear(got: Tensor, want: Tensor, tol = 1e-10): void {
  expect(got.shape).toEqual(want.shape);
  const w = want.dataSync();
  got.dataSync().forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThanOrEqual(tol));
}

describe('pooling and interpolation', () => {
  it('interpolate resamples linearly and keeps corners with alignCorners', () => {
    expect(T.interpolate(tensor([[[0, 1]]]), { size: 4, mode: 'linear' }).toArray()).toEqual([[[0, 0.25, 0.75, 1]]]);
    const x = r([1, 1, 3, 4]);
    const y = T.interpolate(x, { size: [5, 7], mode: 'bicubic', alignCorners: true });
    const corners = (t: Tensor): number[] => {
      const [h, w] = t.shape.slice(2);
      const d = t.dataSync();
      return [d[0], d[w - 1], d[(h - 1) * w], d[h * w - 1]];
    };
    corners(y).forEach((v, i) => expect(v).toBeCloseTo(corners(x)[i], 12));
  });

  it('interpolate names what is wrong', () => {
    expect(() => T.interpolate(r([1, 1, 4]), { size: 3, mode: 'bilinear' })).toThrow(/interpolate: mode 'bilinear' needs a 4-D input/);
    expect(() => T.interpolate(r([1, 1, 4]), { size: 3, alignCorners: true })).toThrow(/alignCorners can only be set/);
    expect(() => T.interpolate(r([1, 1, 4]), { size: 3, scaleFactor: 2, mode: 'linear' })).toThrow(/exactly one of options.size and options.scaleFactor/);
    expect(() => T.interpolate(r([1, 1, 4]), { size: 3, mode: 'trilinear' as never })).toThrow(/mode must be one of nearest, nearest-exact, linear, bilinear, bicubic, area/);
  });

  it('adaptive max pooling returns plane indices of the maxima', () => {
    const { values, indices } = T.adaptiveMaxPool1dWithIndices(tensor([[[1, 5, 2, 4, 3]]]), 2);
    expect(values.toArray()).toEqual([[[5, 4]]]);
    expect(indices.toArray()).toEqual([[[1, 3]]]);
    expect(T.avgPool1d(tensor([[1, 2, 3, 4, 5]]), { kernelSize: 2 }).toArray()).toEqual([[1.5, 3.5]]);
  });
});

describe('distances', () => {
  it('cdist agrees with the definition for p = 2, 1 and ∞', () => {
    const a = tensor([[0, 0], [1, 1]], 'float64');
    const b = tensor([[3, 4]], 'float64');
    expect(T.cdist(a, b).toArray()).toEqual([[5], [Math.sqrt(13)]]);
    expect(T.cdist(a, b, 1).toArray()).toEqual([[7], [5]]);
    expect(T.cdist(a, b, Infinity).toArray()).toEqual([[4], [3]]);
    expect(() => T.cdist(a, tensor([[1, 2, 3]]))).toThrow(/cdist: x1 \[2, 2\] and x2 \[1, 3\] must have the same size of the last axis/);
    expect(() => T.cdist(a, b, -1)).toThrow(/cdist: p must be a number ≥ 0/);
    expect(() => T.cdist(a, b, 2, 'mm' as never)).toThrow(/cdist: computeMode must be one of use_mm_for_euclid_dist_if_necessary, /);
    const many = r([30, 2]);
    const direct = T.cdist(many, b, 2, 'donot_use_mm_for_euclid_dist');
    expectNear(T.cdist(many, b), direct, 1e-9);
  });

  it('cosineSimilarity is 1 for parallel and 0 for orthogonal vectors', () => {
    expect(T.cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])).toFlatArray().map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 1]);
  });
});

describe('searching and counting', () => {
  it('searchsorted, bincount and histc follow PyTorch and check their arguments', () => {
    expect(T.searchsorted(tensor([1, 3, 5, 7]), 6).item()).toBe(3);
    expect(() => T.searchsorted(tensor([1, 3]), tensor([2]), { right: false, side: 'right' })).toThrow(/side 'right' and right false contradict/);
    expect(() => T.searchsorted(tensor([[1, 3]]), tensor([2]))).toThrow(/needs values with the same leading axes/);
    expect(T.bincount(tensor([0, 2, 2, 3], 'int32')).toArray()).toEqual([1, 0, 2, 1]);
    expect(() => T.bincount(tensor([1, -1], 'int32'))).toThrow(/bincount: input must be non-negative, got -1/);
    expect(() => T.bincount(tensor([1.5]))).toThrow(/bincount: input must be an int32 tensor, got float32/);
    expect(T.histc(tensor([1, 2, 1]), 4, 0, 3).toArray()).toEqual([0, 2, 1, 0]);
    expect(tensor([5, 5]).histc(2).toArray()).toEqual([0, 2]);
  });
});

describe('linear algebra', () => {
  it('inv, det and solve agree with each other, batched', () => {
    const a = r([2, 3, 3]);
    const eye = T.eye(3, 3, { dtype: 'float64' });
    expectNear(linalg.inv(a).matmul(a), T.stack([eye, eye]));
    expectNear(a.inverse(), linalg.inv(a), 0);
    const b = r([2, 3, 2], 4);
    expectNear(a.matmul(linalg.solve(a, b)), b);
    expect(T.det(tensor([[1, 2], [3, 4]], 'float64')).item()).toBeCloseTo(-2, 14);
    expect(Math.abs(T.det(tensor([[1, 2], [2, 4]], 'float64')).item())).toBe(0);
  });

  it('names singular and indefinite matrices', () => {
    expect(() => T.inverse(tensor([[1, 2], [2, 4]]))).toThrow(/inv: the matrix is singular: pivot 2 of its LU factorization is zero/);
    expect(() => linalg.solve(tensor([[1, 2], [2, 4]]), tensor([1, 1]))).toThrow(/solve: A is singular/);
    expect(() => linalg.cholesky(tensor([[1, 2], [2, 1]]))).toThrow(/cholesky: the input is not positive-definite: its leading minor of order 2/);
    expect(() => linalg.inv(r([2, 3]))).toThrow(/inv: expected square matrices \[..., n, n\], got \[2, 3\]/);
  });

  it('decompositions reconstruct their input with orthonormal factors', () => {
    for (const shape of [[5, 3], [3, 5], [2, 4, 4]]) {
      const a = r(shape, shape[0]);
      const { Q, R } = linalg.qr(a);
      expectNear(Q.matmul(R), a);
      expectNear(mT(Q).matmul(Q), T.eye(Q.shape[Q.rank - 1], undefined, { dtype: 'float64' }).expand(mT(Q).matmul(Q).shape));
      const { U, S, Vh } = linalg.svd(a, { fullMatrices: false });
      expectNear(U.mul(S.unsqueeze(-2)).matmul(Vh), a);
      const s = S.dataSync();
      for (let i = 1; i < S.shape[S.rank - 1]; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
    }
    expect(linalg.qr(r([4, 3]), { mode: 'r' }).Q.shape).toEqual([0]);
    expect(() => linalg.qr(r([4, 3]), { mode: 'full' as never })).toThrow(/qr: mode must be 'reduced', 'complete' or 'r', got 'full'/);
    const full = linalg.svd(r([4, 2]));
    expectNear(mT(full.U).matmul(full.U), T.eye(4, 4, { dtype: 'float64' }));
    const x = r([4, 4]);
    const sym = x.add(mT(x));
    const { eigenvalues, eigenvectors } = linalg.eigh(sym);
    expectNear(eigenvectors.mul(eigenvalues).matmul(mT(eigenvectors)), sym);
    const lam = eigenvalues.dataSync();
    for (let i = 1; i < 4; i++) expect(lam[i]).toBeGreaterThanOrEqual(lam[i - 1]);
    const spd = x.matmul(mT(x)).add(T.eye(4, 4, { dtype: 'float64' }));
    const l = linalg.cholesky(spd);
    expectNear(l.matmul(mT(l)), spd);
    expectNear(linalg.cholesky(spd, { upper: true }), mT(l), 0);
  });

  it('a rank-deficient matrix gets orthonormal singular vectors too', () => {
    const a = tensor([[1, 2], [2, 4], [3, 6]], 'float64');
    const { U, S } = linalg.svd(a);
    expect(S.dataSync()[1]).toBeLessThan(1e-12);
    expectNear(mT(U).matmul(U), T.eye(3, 3, { dtype: 'float64' }));
  });
});
