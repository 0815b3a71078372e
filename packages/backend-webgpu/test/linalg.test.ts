import '@backprop/autograd';
import { beforeAll, describe, expect, it } from 'vitest';
import { add, det, eye, linalg, matmul, mul, narrow, setBackend, sum, tensor, transpose, type Tensor } from '@backprop/tensor';
import { webgpuFallbacks } from '../src/index.js';
import { expectClose, expectSameOnGpu, onGpu, random, startWebGpu } from './helpers.js';

// The linalg kernels against cpu's (float64, rounded) on seeded well-conditioned batches of odd sizes,
// their gradients (rules built from other kernels) on webgpu against cpu, and the NaN results that stand
// for cpu's errors.
beforeAll(startWebGpu);

/** Random [..., n, n] plus `shift`·I: well-conditioned for a shift of a few times √n. */
const shifted = (shape: number[], seed: number, shift: number): Tensor => add(random(shape, seed), mul(eye(shape[shape.length - 1]), shift));
/** X·Xᵀ + I for random X: symmetric positive-definite. */
function spd(shape: number[], seed: number): Tensor {
  const x = random(shape, seed);
  return add(matmul(x, transpose(x, -2, -1)), eye(shape[shape.length - 1]));
}

const TOL = 1e-4;

describe('linalg kernels on webgpu', () => {
  it('lists none of them as fallbacks', () => {
    const fallbacks = webgpuFallbacks();
    for (const name of ['linalgInv', 'linalgDet', 'linalgSolve', 'linalgCholesky', 'linalgQr', 'linalgSvd', 'linalgEigh']) expect(fallbacks).not.toContain(name);
  });

  it('inv and det over batch axes, with odd sizes', async () => {
    await expectSameOnGpu((a) => linalg.inv(a), [shifted([2, 3, 5, 5], 1, 4)], TOL);
    await expectSameOnGpu((a) => linalg.inv(a), [shifted([1, 1], 2, 2)], TOL);
    await expectSameOnGpu((a) => det(a), [shifted([3, 4, 4], 3, 2)], TOL);
    await expectSameOnGpu((a) => det(a), [random([7, 3, 3], 4)], TOL);
  });

  it('solve with matrix and vector right-hand sides and a broadcast batch', async () => {
    await expectSameOnGpu((a, b) => linalg.solve(a, b), [shifted([2, 5, 5], 5, 4), random([2, 5, 3], 6)], TOL);
    await expectSameOnGpu((a, b) => linalg.solve(a, b), [shifted([3, 3, 3], 7, 3), random([3], 8)], TOL);
    await expectSameOnGpu((a, b) => linalg.solve(a, b), [shifted([4, 4], 9, 3), random([2, 4, 1], 10)], TOL);
  });

  it('cholesky, lower and upper', async () => {
    await expectSameOnGpu((a) => linalg.cholesky(a), [spd([3, 5, 5], 11)], TOL);
    await expectSameOnGpu((a) => linalg.cholesky(a, { upper: true }), [spd([2, 2, 3, 3], 12)], TOL);
  });

  it('qr in each mode, tall and wide, with LAPACK’s signs', async () => {
    for (const [shape, seed] of [[[2, 5, 3], 13], [[3, 5], 14], [[4, 4], 15]] as const) {
      for (const mode of ['reduced', 'complete', 'r'] as const) {
        await expectSameOnGpu((a) => linalg.qr(a, { mode }).R, [random([...shape], seed)], TOL);
        if (mode !== 'r') await expectSameOnGpu((a) => linalg.qr(a, { mode }).Q, [random([...shape], seed)], TOL);
      }
    }
  });

  it('svd: U, S descending and Vh as on cpu, full and reduced, tall and wide', async () => {
    for (const [shape, seed] of [[[2, 5, 3], 16], [[3, 6], 17], [[3, 4, 4], 18]] as const) {
      for (const fullMatrices of [true, false]) {
        const x = random([...shape], seed);
        await expectSameOnGpu((a) => linalg.svd(a, { fullMatrices }).S, [x], TOL);
        await expectSameOnGpu((a) => linalg.svd(a, { fullMatrices }).U, [x], 1e-3);
        await expectSameOnGpu((a) => linalg.svd(a, { fullMatrices }).Vh, [x], 1e-3);
      }
    }
  });

  it('svd of a rank-deficient matrix completes U with orthonormal columns', async () => {
    // Rank 1: columns of U past the first come from the standard basis.
    const x = matmul(random([4, 1], 19), random([1, 3], 20));
    await expectSameOnGpu((a) => linalg.svd(a).S, [x], TOL);
    // The other columns are any orthonormal completion (where a zero singular value leaves them free, cpu's
    // float64 rounding may choose differently); the first is determined up to the shared sign.
    await expectSameOnGpu((a) => narrow(linalg.svd(a).U, -1, 0, 1), [x], 1e-3);
    const gx = onGpu(x);
    setBackend('webgpu');
    let u: Tensor;
    try {
      u = linalg.svd(gx).U;
    } finally {
      setBackend('cpu');
    }
    const host = tensor(Array.from(await u.read()), { dtype: 'float32' }).reshape([4, 4]);
    expectClose(matmul(transpose(host, 0, 1), host).dataSync(), eye(4).dataSync(), TOL);
  });

  it('eigh: eigenvalues ascending and eigenvectors as on cpu, from either triangle', async () => {
    const a = spd([3, 5, 5], 21);
    await expectSameOnGpu((x) => linalg.eigh(x).eigenvalues, [a], TOL);
    await expectSameOnGpu((x) => linalg.eigh(x).eigenvectors, [a], 1e-3);
    // A non-symmetric input: only the chosen triangle is read.
    const b = random([2, 4, 4], 22);
    for (const UPLO of ['L', 'U'] as const) {
      await expectSameOnGpu((x) => linalg.eigh(x, { UPLO }).eigenvalues, [b], TOL);
      await expectSameOnGpu((x) => linalg.eigh(x, { UPLO }).eigenvectors, [b], 1e-3);
    }
  });
});

describe('values cpu rejects', () => {
  async function gpuRun(f: (x: Tensor) => Tensor, x: Tensor): Promise<Float32Array> {
    const gx = onGpu(x);
    setBackend('webgpu');
    try {
      return (await f(gx).read()) as Float32Array;
    } finally {
      setBackend('cpu');
    }
  }

  it('a singular matrix of the batch gives NaN from inv and solve, a zero from det (as on cpu); the others are exact', async () => {
    const a = tensor([[[2, 0], [0, 4]], [[1, 2], [2, 4]]]);
    expect(() => linalg.inv(a)).toThrow(/^inv: the matrix is singular \(batch element 1\)/);
    expect([...(await gpuRun((x) => linalg.inv(x), a))]).toEqual([0.5, 0, 0, 0.25, NaN, NaN, NaN, NaN]);
    expect([...(await gpuRun((x) => linalg.solve(x, tensor([[1, 1], [1, 1]])), a))]).toEqual([0.5, 0.25, NaN, NaN]);
    expect([...(await gpuRun((x) => det(x), a))]).toEqual([...det(a).dataSync()]); // [8, -0]: a row swap's sign
  });

  it('a matrix that is not positive-definite gives NaN from cholesky', async () => {
    const a = tensor([[[4, 2], [2, 5]], [[1, 2], [2, 1]]]);
    expect(() => linalg.cholesky(a)).toThrow(/^cholesky: the input is not positive-definite \(batch element 1\)/);
    expect([...(await gpuRun((x) => linalg.cholesky(x), a))]).toEqual([2, 0, 1, 2, NaN, NaN, NaN, NaN]);
  });
});

describe('linalg gradients on webgpu', () => {
  /** The gradient of sum(f(A)·W) for a fixed random W, on cpu and on webgpu. */
  async function expectSameGradient(f: (a: Tensor) => Tensor, a: Tensor, tol = 1e-3): Promise<void> {
    const weights = (y: Tensor): Tensor => random([...y.shape], 99);
    const cpuA = a.detach().requiresGrad_();
    const y = f(cpuA);
    sum(mul(y, weights(y))).backward();
    const gpuA = onGpu(a).requiresGrad_();
    const gpuWeights = onGpu(weights(y));
    setBackend('webgpu');
    try {
      sum(mul(f(gpuA), gpuWeights)).backward();
    } finally {
      setBackend('cpu');
    }
    expect(gpuA.grad!.device).toBe('webgpu');
    expectClose(await gpuA.grad!.read(), cpuA.grad!.dataSync(), tol);
  }

  it('inv, det and solve', async () => {
    await expectSameGradient((a) => linalg.inv(a), shifted([2, 3, 3], 30, 3));
    await expectSameGradient((a) => det(a), shifted([2, 3, 3], 31, 3));
    await expectSameGradient((a) => linalg.solve(a, random([3, 2], 32)), shifted([3, 3], 33, 3));
  });

  it('det of a batch holding a singular matrix (its cofactors through the SVD)', async () => {
    await expectSameGradient((a) => det(a), tensor([[[2, 1], [1, 3]], [[1, 2], [2, 4]]]));
  });

  it('cholesky, qr, svd and eigh', async () => {
    await expectSameGradient((a) => linalg.cholesky(a), spd([2, 3, 3], 34));
    await expectSameGradient((a) => linalg.qr(a).Q, random([4, 3], 35));
    await expectSameGradient((a) => linalg.qr(a).R, random([3, 4], 36));
    await expectSameGradient((a) => linalg.svd(a, { fullMatrices: false }).U, random([4, 3], 37));
    await expectSameGradient((a) => linalg.svdvals(a), random([2, 3, 4], 38));
    await expectSameGradient((a) => linalg.eigh(a).eigenvectors, spd([3, 3], 39));
    await expectSameGradient((a) => linalg.eigvalsh(a), spd([2, 4, 4], 40));
  });
});

