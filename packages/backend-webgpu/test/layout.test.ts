import { beforeAll, describe, it } from 'vitest';
import { cast, concat, expand, flip, pad, permute, slice, transpose, type Tensor } from '@backprop/tensor';
import { expectSameOnGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

describe('layout kernels match cpu', () => {
  const x = random([3, 4, 5], 1);

  it('permute and transpose', async () => {
    for (const perm of [[2, 0, 1], [1, 2, 0], [0, 2, 1], [2, 1, 0]]) await expectSameOnGpu((t) => permute(t, perm), [x], 0);
    await expectSameOnGpu((t) => transpose(t, 0, 2), [x], 0);
    await expectSameOnGpu((t) => permute(t, [1, 0]), [cast(random([67, 33], 2).mul(9), 'int32')], 0);
  });

  it('expand over new and size-1 axes', async () => {
    await expectSameOnGpu((t) => expand(t, [2, 3, 4, 5]), [random([3, 1, 5], 3)], 0);
    await expectSameOnGpu((t) => expand(t, [7, 6]), [random([], 4)], 0);
  });

  it('slice with steps on every axis (copies, not views)', async () => {
    await expectSameOnGpu((t) => slice(t, 1, 1, 4, 2), [x], 0);
    await expectSameOnGpu((t) => slice(t, 2, -3), [x], 0);
    await expectSameOnGpu((t) => slice(t, 0, 1, 3), [x], 0);
  });

  it('flip, pad (with cropping) and concat', async () => {
    await expectSameOnGpu((t) => flip(t, [0, 2]), [x], 0);
    await expectSameOnGpu((t) => pad(t, [1, 2, 0, 1], 'constant', 1.5), [x], 0);
    await expectSameOnGpu((t) => pad(t, [-1, 2]), [x], 0);
    const parts: Tensor[] = [random([3, 2, 5], 5), random([3, 1, 5], 6), random([3, 4, 5], 7)];
    await expectSameOnGpu((...ts) => concat(ts, 1), parts, 0);
    await expectSameOnGpu((a, b) => concat([a, b], 0), [x, x.mul(2)], 0);
  });
});
