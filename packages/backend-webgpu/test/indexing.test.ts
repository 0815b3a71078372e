import { beforeAll, describe, expect, it } from 'vitest';
import {
  addInPlace_, clampInPlace_, copy_, fill_, gather, indexSelect, oneHot, randint, scaleInPlace_, scatterAdd, setBackend,
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
