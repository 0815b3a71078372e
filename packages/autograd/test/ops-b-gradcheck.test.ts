// Finite-difference gradient checks (float64) of pooling, resampling, distances and linear algebra.
// Decompositions are checked through sign-invariant functions of their results (products U·diag(S)·Vh,
// squared entries of eigenvectors), since the vectors themselves are only defined up to sign.
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import { Generator, linalg, randn, type Tensor } from '@backprop/tensor';
import { grad, gradCheck } from '../src/index.js';

const gen = new Generator(11);
const r = (shape: number[]): Tensor => randn(shape, { generator: gen, dtype: 'float64' });
const mT = (x: Tensor): Tensor => x.transpose(-2, -1);
/** A symmetric positive-definite matrix (batch) from any square x, differentiably. */
const spd = (x: Tensor): Tensor => x.matmul(mT(x)).add(T.eye(x.shape[x.rank - 1], undefined, { dtype: 'float64' }));
const sym = (x: Tensor): Tensor => x.add(mT(x)).mul(0.5);

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

describe('gradCheck of pooling and interpolation', () => {
  check('avgPool1d padding, countIncludePad false, ceilMode', (x) => T.avgPool1d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), [r([2, 2, 8])]);
  check('adaptiveMaxPool2d to [2, 3]', (x) => T.adaptiveMaxPool2d(x, [2, 3]), [r([2, 2, 5, 7])]);
  check('adaptiveMaxPool1d to 4', (x) => T.adaptiveMaxPool1d(x, 4), [r([1, 3, 7])]);
  check('interpolate linear, scaleFactor 1.7', (x) => T.interpolate(x, { scaleFactor: 1.7, mode: 'linear' }), [r([2, 2, 5])]);
  check('interpolate bilinear alignCorners, size [5, 3]', (x) => T.interpolate(x, { size: [5, 3], mode: 'bilinear', alignCorners: true }), [r([1, 2, 3, 4])]);
  check('interpolate bicubic, scaleFactor 2', (x) => T.interpolate(x, { scaleFactor: 2, mode: 'bicubic' }), [r([1, 1, 3, 4])]);
  check('interpolate nearest 1-D', (x) => T.interpolate(x, { size: 7 }), [r([1, 2, 3])]);
  it('second derivatives through bicubic interpolation (the adjoint of the adjoint)', () => {
    const f = (x: Tensor): Tensor => T.interpolate(x, { size: [4, 5], mode: 'bicubic' });
    const result = gradCheck((x: Tensor) => grad((y: Tensor) => f(y).square().sum())(x)[0], [r([1, 1, 3, 3])]);
    expect(result.ok, result.message).toBe(true);
  });
});

describe('gradCheck of distances', () => {
  for (const p of [2, 1, Infinity, 3, 0.5]) {
    check(`cdist p = ${p}, broadcast batch`, (a, b) => T.cdist(a, b, p), [r([2, 3, 4]), r([1, 5, 4])]);
  }
  check('cosineSimilarity dim 1', (a, b) => T.cosineSimilarity(a, b), [r([3, 4, 2]), r([3, 4, 2])]);
  check('cosineSimilarity broadcast, dim -1', (a, b) => T.cosineSimilarity(a, b, -1), [r([3, 4]), r([1, 4])]);

  it('histc and weighted bincount are not differentiable, as in PyTorch', () => {
    const x = T.tensor(Float64Array.of(0.1, 0.5, 0.9)).requiresGrad_();
    expect(() => T.histc(x, 2, 0, 1).sum().backward()).toThrow(/comes from 'histc', which is not differentiable/);
    expect(() => T.bincount(T.tensor([0, 1, 1], 'int32'), { weights: x }).sum().backward()).toThrow(/comes from 'bincount', which is not differentiable/);
  });

  it('cdist has a zero gradient where a distance is zero, as PyTorch', () => {
    const x = T.tensor(Float64Array.of(1, 2, 3, 4), [2, 2]);
    const [g] = grad((a: Tensor) => T.cdist(a, x).sum())(x);
    expect(Array.from(g.dataSync()).every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('gradCheck of linear algebra', () => {
  check('inv, batched', (a) => linalg.inv(a), [r([2, 3, 3])]);
  check('det, batched', (a) => linalg.det(a), [r([2, 3, 3])]);
  it('det of singular matrices: the gradient is the cofactor matrix', () => {
    const singular = T.tensor(Float64Array.of(1, 2, 3, 2, 4, 6, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5), [2, 3, 3]);
    const [g] = grad((a: Tensor) => linalg.det(a).sum())(singular);
    // Cofactors of [[1, 2, 3], [2, 4, 6], [1, 0, 1]] (rank 2) and of diag(0, 0, 5) (rank 1: all zero but one).
    const want = [4, 4, -4, -2, -2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 10));
    const result = gradCheck((a: Tensor) => linalg.det(a), [singular]);
    expect(result.ok, result.message).toBe(true);
  });
  check('solve, matrix right side with broadcast batch', (a, b) => linalg.solve(a, b), [r([2, 3, 3]), r([3, 2])]);
  check('solve, vector right side', (a, b) => linalg.solve(a, b), [r([3, 3]), r([3])]);
  check('cholesky of a symmetric positive-definite matrix', (x) => linalg.cholesky(spd(x)), [r([2, 3, 3])]);
  check('cholesky upper', (x) => linalg.cholesky(spd(x), { upper: true }), [r([3, 3])]);
  for (const shape of [[4, 3], [3, 3], [2, 4]]) {
    check(`qr reduced ${shape.join('×')} (Q and R with the signs of diag(R) divided out)`, (a) => {
      const { Q, R } = linalg.qr(a);
      const k = Math.min(shape[0], shape[1]);
      const d = T.sign(T.tensor(Float64Array.from(Array.from({ length: k }, (_, i) => R.dataSync()[i * shape[1] + i])), [k]));
      return T.concat([Q.mul(d).flatten(), R.mul(d.reshape([k, 1])).flatten()]);
    }, [r(shape)]);
  }
  for (const [shape, full] of [[[4, 3], false], [[2, 4], false], [[3, 3], true], [[4, 2], true]] as const) {
    check(`svd ${shape.join('×')} fullMatrices ${full}: S, U·diag(S)·Vh, U² and Vh²`, (a) => {
      const { U, S, Vh } = linalg.svd(a, { fullMatrices: full });
      const k = S.shape[S.rank - 1];
      const Uk = U.narrow(-1, 0, k);
      const Vk = Vh.narrow(-2, 0, k);
      return T.concat([S, Uk.mul(S).matmul(Vk).flatten(), Uk.square().flatten(), Vk.square().flatten()]);
    }, [r([...shape])]);
  }
  check('svdvals batched', (a) => linalg.svdvals(a), [r([2, 3, 2])]);
  check('eigh: eigenvalues and squared eigenvectors of a symmetric matrix', (x) => {
    const { eigenvalues, eigenvectors } = linalg.eigh(sym(x));
    return T.concat([eigenvalues.flatten(), eigenvectors.square().flatten()]);
  }, [r([2, 4, 4])]);
  check('eigvalsh', (x) => linalg.eigvalsh(sym(x)), [r([3, 3])]);

  it('second derivatives through inv and det', () => {
    const a = r([3, 3]);
    const result = gradCheck((x: Tensor) => grad((y: Tensor) => linalg.det(y).mul(linalg.inv(y).sum()))(x)[0], [a]);
    expect(result.ok, result.message).toBe(true);
  });
});
