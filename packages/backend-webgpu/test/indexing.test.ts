import { beforeAll, describe, expect, it } from 'vitest';
import {
  addInPlace_, bincount, clampInPlace_, copy_, fill_, gather, histc, indexSelect, oneHot, randint, scaleInPlace_, scatterAdd, searchsorted,
  setBackend,
  sliceAddInPlace_, tensor, Generator, type Tensor,
} from '@backprop/tensor';
import { expectClose, expectSameOnGpu, onGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

const g = new Generator(3);

// The ops check index ranges on the host, so indices stay host tensors (runKernel uploads them).
describe('gather, indexSelect, scatterAdd and oneHot match cpu', () => {
  const x = random([4, 6, 5], 1);

  it('gather along each axis, with an index smaller than x', async () => {
    for (const axis of [0, 1, 2]) {
      const shape = [3, 4, 5];
      const index = randint(0, x.shape[axis], shape, { generator: g });
      await expectSameOnGpu((t, i) => gather(t, axis, i), [x, index], 0, [1]);
    }
  });

  it('indexSelect with repeated indices', async () => {
    for (const axis of [0, 1, 2]) {
      const index = randint(0, x.shape[axis], [7], { generator: g });
      await expectSameOnGpu((t, i) => indexSelect(t, axis, i), [x, index], 0, [1]);
    }
  });

  it('scatterAdd accumulates duplicate targets (float32 and int32)', async () => {
    for (const axis of [0, 1, 2]) {
      const index = randint(0, x.shape[axis], [4, 6, 5], { generator: g });
      const src = random([4, 6, 5], 10 + axis);
      await expectSameOnGpu((t, i, s) => scatterAdd(t, axis, i, s), [x, index, src], 1e-6, [1]);
    }
    const ints = randint(-5, 5, [3, 4], { generator: g });
    const index = tensor([[0, 0, 0, 1], [2, 2, 0, 0]], { dtype: 'int32' });
    await expectSameOnGpu((t, i, s) => scatterAdd(t, 0, i, s), [ints, index, randint(-9, 9, [2, 4], { generator: g })], 0, [1]);
  });

  it('oneHot in float32 and int32', async () => {
    const indices = randint(0, 10, [3, 7], { generator: g });
    await expectSameOnGpu((i) => oneHot(i, 10), [indices], 0, [0]);
    await expectSameOnGpu((i) => oneHot(i, 12, 'int32'), [indices], 0, [0]);
  });
});

describe('in-place kernels write into the GPU buffer they are given', () => {
  async function inPlace(update: (t: Tensor) => void, start: Tensor): Promise<void> {
    const cpuTarget = start.mul(1);
    update(cpuTarget);
    const target = onGpu(start);
    setBackend('webgpu');
    try {
      update(target);
    } finally {
      setBackend('cpu');
    }
    expect(target.device).toBe('webgpu');
    expectClose(await target.read(), cpuTarget.dataSync(), 1e-6);
  }

  it('addInPlace_, scaleInPlace_, clampInPlace_, fill_, copy_ and sliceAddInPlace_', async () => {
    const start = random([3, 70], 4);
    const other = random([3, 70], 5);
    await inPlace((t) => addInPlace_(t, other), start);
    await inPlace((t) => addInPlace_(t, other, -0.5), start);
    await inPlace((t) => scaleInPlace_(t, 0.25), start);
    await inPlace((t) => clampInPlace_(t, -0.5, 0.3), start);
    await inPlace((t) => fill_(t, 2.5), start);
    await inPlace((t) => copy_(t, other), start);
    await inPlace((t) => sliceAddInPlace_(t, random([3, 20], 6), 1, 3, 3), start);
    // A target that is also the source (one buffer cannot be read and written by one dispatch).
    await inPlace((t) => addInPlace_(t, t, 0.5), start);
    await inPlace((t) => copy_(t, t), start);
  });
});

describe('searchsorted, bincount and histc match cpu', () => {
  it('searchsorted: left and right, rows, a sorter, NaN values, an int32 sequence with float values', async () => {
    const seq = tensor([[1, 3, 3, 5, 9], [0, 2, 4, 6, 8]]);
    const values = tensor([[0, 3, 4, NaN, 10, 3.5], [8, -1, 2, 5, NaN, 9]]);
    await expectSameOnGpu((s, v) => searchsorted(s, v), [seq, values], 0);
    await expectSameOnGpu((s, v) => searchsorted(s, v, { right: true }), [seq, values], 0);
    await expectSameOnGpu((s, v) => searchsorted(s, v), [tensor([1, 3, 3, 5]), tensor([2, 3, 6, 0.5])], 0);
    const shuffled = tensor([[5, 1, 9, 3, 3], [8, 0, 6, 2, 4]]);
    const sorter = tensor([[1, 3, 4, 0, 2], [1, 3, 4, 2, 0]], { dtype: 'int32' });
    await expectSameOnGpu((s, v, o) => searchsorted(s, v, { sorter: o }), [shuffled, values, sorter], 0, [2]);
    await expectSameOnGpu((s, v) => searchsorted(s, v), [tensor([1, 4, 7], { dtype: 'int32' }), tensor([0.5, 4, 6.5])], 0);
  });

  it('bincount with and without weights, and histc (inputs on the host: the ops read them)', async () => {
    const x = randint(0, 9, [300], { generator: g });
    await expectSameOnGpu((t) => bincount(t, { minlength: 12 }), [x], 0, [0]);
    await expectSameOnGpu((t, w) => bincount(t, { weights: w }), [x, random([300], 20)], 1e-5, [0]);
    const v = tensor([...random([500], 21).dataSync(), NaN, 3, -3]);
    await expectSameOnGpu((t) => histc(t, 17, -2, 2), [v], 0, [0]);
  });
});
