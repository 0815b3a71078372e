import { beforeAll, describe, it } from 'vitest';
import { argmax, argmin, cast, cumprod, cumsum, logSoftmax, runKernel, wrap, max, mean, min, prod, softmax, sum, tensor, type Tensor } from '@backprop/tensor';
import { expectSameOnGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

const AXES: (number | number[] | undefined)[] = [undefined, 0, 1, 2, [0, 1], [1, 2], [0, 2]];

describe('reductions match cpu', () => {
  const x = random([6, 7, 9], 1);
  const REDUCE: Record<string, (t: Tensor, axes?: number | number[], keepDims?: boolean) => Tensor> = { sum, max, min, mean };
  for (const [name, f] of Object.entries(REDUCE)) {
    it(`${name} over every axis set, with and without keepDims`, async () => {
      for (const axes of AXES) {
        await expectSameOnGpu((t) => f(t, axes), [x], 1e-5);
        await expectSameOnGpu((t) => f(t, axes, true), [x], 1e-5);
      }
    });
  }

  it('prod, and long rows reduced by a workgroup each', async () => {
    await expectSameOnGpu((t) => prod(t, 1), [random([4, 5], 2).mul(0.5).add(1)], 1e-5);
    const long = random([3, 5000], 3);
    await expectSameOnGpu((t) => sum(t, 1), [long], 1e-5);
    await expectSameOnGpu((t) => max(t, 1), [long], 0);
    await expectSameOnGpu((t) => min(t), [long], 0);
    await expectSameOnGpu((t) => sum(t), [random([70001], 4)], 1e-4);
  });

  it('int32 and bool sums', async () => {
    const i = cast(random([5, 300], 5).mul(20), 'int32');
    await expectSameOnGpu((t) => sum(t, 1), [i], 0);
    await expectSameOnGpu((t) => sum(t), [i], 0);
    await expectSameOnGpu((t) => max(t, 0), [i], 0);
    await expectSameOnGpu((t) => sum(t.gt(0), 0), [i], 0);
  });

  it('argmax and argmin along an axis and overall, first index on ties', async () => {
    for (const axis of [0, 1, 2]) {
      await expectSameOnGpu((t) => argmax(t, axis), [x], 0);
      await expectSameOnGpu((t) => argmin(t, axis, true), [x], 0);
    }
    await expectSameOnGpu((t) => argmax(t), [x], 0);
    await expectSameOnGpu((t) => argmax(t, 1), [tensor([[1, 3, 3, 0], [2, 2, 1, 2]])], 0);
  });
});

describe('softmax and logSoftmax match cpu', () => {
  it('over each axis, including large values', async () => {
    const x = random([4, 5, 11], 6, 4);
    for (const axis of [0, 1, 2, -1]) {
      await expectSameOnGpu((t) => softmax(t, axis), [x], 1e-5);
      await expectSameOnGpu((t) => logSoftmax(t, axis), [x], 1e-5);
    }
    await expectSameOnGpu((t) => logSoftmax(t), [tensor([[1000, 1001, 999], [-1000, -1002, -1001]])], 1e-5);
  });

});

describe('scans match cpu', () => {
  it('cumsum and cumprod along each axis, float32 and int32', async () => {
    const x = random([4, 6, 5], 8);
    for (const axis of [0, 1, 2]) {
      await expectSameOnGpu((t) => cumsum(t, axis), [x], 1e-5);
      await expectSameOnGpu((t) => cumprod(t, axis), [x.mul(0.3).add(1)], 1e-5);
    }
    await expectSameOnGpu((t) => cumsum(t, 1), [cast(x.mul(10), 'int32')], 0);
  });

  it('the running argmax and argmin of cummax and cummin (as kernels: the ops gather on the host)', async () => {
    const x = cast(random([5, 40], 9).mul(3), 'int32');
    for (const name of ['cummaxIndices', 'cumminIndices']) {
      await expectSameOnGpu((t) => wrap(runKernel(name, [t], { axis: 1 })), [cast(x, 'float32')], 0);
      await expectSameOnGpu((t) => wrap(runKernel(name, [t], { axis: 0 })), [x], 0);
    }
  });
});

describe('argsort and topk match cpu (as kernels: sort and topk gather their values by index on the host)', () => {
  const ties = tensor([[3, 1, NaN, 2, 1, 3, -Infinity, NaN], [0, 0, 5, -1, 5, 2, 2, 0]]);
  it('argsort ascending and descending along each axis, stable among ties, NaN last (first descending)', async () => {
    const x = random([4, 9, 6], 11);
    for (const axis of [0, 1, 2]) {
      for (const descending of [false, true]) await expectSameOnGpu((t) => wrap(runKernel('argsort', [t], { axis, descending })), [x], 0);
    }
    for (const descending of [false, true]) await expectSameOnGpu((t) => wrap(runKernel('argsort', [t], { axis: 1, descending })), [ties], 0);
    await expectSameOnGpu((t) => wrap(runKernel('argsort', [t], { axis: 1, descending: false })), [cast(random([2, 8], 12).mul(2), 'int32')], 0);
  });

  it('topk of the largest and the smallest', async () => {
    for (const largest of [true, false]) {
      await expectSameOnGpu((t) => wrap(runKernel('topk', [t], { axis: 1, k: 3, largest })), [ties], 0);
      await expectSameOnGpu((t) => wrap(runKernel('topk', [t], { axis: 0, k: 2, largest })), [random([5, 7], 13)], 0);
    }
  });
});
