import { beforeAll, describe, it } from 'vitest';
import { cast, matmul, type Tensor } from '@backprop/tensor';
import { expectSameOnGpu, random, startWebGpu } from './helpers.js';

const mm = (a: Tensor, b: Tensor): Tensor => matmul(a, b);

beforeAll(startWebGpu);

describe('tiled matmul matches cpu', () => {
  it('odd sizes across tile edges, on both the 16×16 and the 64×64 kernels', async () => {
    for (const [M, K, N] of [[1, 1, 1], [17, 33, 9], [16, 16, 16], [40, 5, 70], [3, 100, 2], [64, 16, 64], [130, 37, 70]]) {
      await expectSameOnGpu(mm, [random([M, K], M), random([K, N], N)], 1e-5);
    }
  });

  it('transposed operands (the attrs autograd uses)', async () => {
    for (const [M, K, N] of [[19, 23, 21], [67, 23, 65]]) {
      await expectSameOnGpu((x, y) => matmul(x, y, false, true), [random([M, K], 1), random([N, K], 2)], 1e-5);
      await expectSameOnGpu((x, y) => matmul(x, y, true, false), [random([K, M], 3), random([K, N], 4)], 1e-5);
      await expectSameOnGpu((x, y) => matmul(x, y, true, true), [random([K, M], 5), random([N, K], 6)], 1e-5);
    }
  });

  it('batched, with one side broadcast, and vectors', async () => {
    await expectSameOnGpu(mm, [random([3, 7, 5], 5), random([3, 5, 6], 6)], 1e-5);
    await expectSameOnGpu(mm, [random([2, 70, 9], 17), random([9, 66], 18)], 1e-5);
    await expectSameOnGpu(mm, [random([2, 3, 7, 5], 7), random([5, 4], 8)], 1e-5);
    await expectSameOnGpu(mm, [random([7, 5], 9), random([4, 5, 2], 10)], 1e-5);
    await expectSameOnGpu(mm, [random([2, 1, 4, 3], 11), random([5, 3, 2], 12)], 1e-5);
    await expectSameOnGpu(mm, [random([9], 13), random([9, 4], 14)], 1e-5);
    await expectSameOnGpu(mm, [random([6, 9], 15), random([9], 16)], 1e-5);
  });

  it('int32 products', async () => {
    await expectSameOnGpu(mm, [cast(random([5, 18], 17).mul(5), 'int32'), cast(random([18, 3], 18).mul(5), 'int32')], 0);
  });
});
