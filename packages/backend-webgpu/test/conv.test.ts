import '@backprop/autograd';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d, avgPool2d, cdist, conv2d, conv2dBackwardWeight, convTranspose2d, randint, runCpuKernel, runKernel, setBackend, sum,
  upsampleNearest2d, wrap, Generator, type ConvGeometry, type Tensor,
} from '@backprop/tensor';
import { expectClose, expectSameOnGpu, onGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

describe('convolutions match cpu', () => {
  const x = random([2, 4, 9, 8], 1);

  it('conv2d with stride, padding, dilation, groups and bias', async () => {
    await expectSameOnGpu((t, w) => conv2d(t, w), [x, random([3, 4, 3, 3], 2)], 1e-5);
    await expectSameOnGpu((t, w, b) => conv2d(t, w, b, { stride: 2, padding: [1, 2] }), [x, random([5, 4, 3, 2], 3), random([5], 4)], 1e-5);
    await expectSameOnGpu((t, w) => conv2d(t, w, null, { dilation: 2, groups: 2, padding: 1 }), [x, random([6, 2, 3, 3], 5)], 1e-5);
  });

  it('convTranspose2d with stride, padding, output padding, dilation and groups', async () => {
    await expectSameOnGpu((t, w, b) => convTranspose2d(t, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [x, random([4, 3, 3, 3], 6), random([3], 7)], 1e-5);
    await expectSameOnGpu((t, w) => convTranspose2d(t, w, null, { dilation: 2, groups: 2 }), [x, random([4, 2, 2, 3], 8)], 1e-5);
  });

  it('conv2dBackwardWeight, the weight gradient', async () => {
    const geometry: ConvGeometry = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2, outSize: [3, 3] };
    const gOut = random([2, 6, 5, 4], 9);
    await expectSameOnGpu((t, g) => conv2dBackwardWeight(t, g, geometry), [x, gOut], 1e-5);
  });

  it('a conv layer’s gradients through autograd', async () => {
    const run = (t: Tensor, w: Tensor, b: Tensor): Tensor[] => {
      const [wt, bt] = [w.requiresGrad_(), b.requiresGrad_()];
      const input = t.requiresGrad_();
      sum(conv2d(input, wt, bt, { padding: 1, stride: 2 }).relu()).backward();
      return [input.grad!, wt.grad!, bt.grad!];
    };
    const [w, b] = [random([3, 4, 3, 3], 10), random([3], 11)];
    const want = run(x.mul(1), w.mul(1), b.mul(1));
    const gpu = [x, w, b].map(onGpu);
    setBackend('webgpu');
    let got: Tensor[];
    try {
      got = run(gpu[0], gpu[1], gpu[2]);
    } finally {
      setBackend('cpu');
    }
    for (const [k, g] of got.entries()) {
      expect(g.device).toBe('webgpu');
      expectClose(await g.read(), want[k].dataSync(), 1e-5);
    }
  });
});

describe('pooling kernels match cpu', () => {
  const x = random([2, 3, 9, 7], 12);

  it('average and adaptive average pooling, nearest upsampling (windowAverage2d)', async () => {
    await expectSameOnGpu((t) => avgPool2d(t, { kernelSize: 3, stride: 2, padding: 1 }), [x], 1e-6);
    await expectSameOnGpu((t) => avgPool2d(t, { kernelSize: 2, countIncludePad: false, padding: 1 }), [x], 1e-6);
    await expectSameOnGpu((t) => adaptiveAvgPool2d(t, [4, 3]), [x], 1e-6);
    await expectSameOnGpu((t) => upsampleNearest2d(t, { scaleFactor: 2 }), [x], 0);
  });

  it('their gradients (windowAverage2dBackward)', async () => {
    const grads = (t: Tensor): Tensor => {
      const input = t.requiresGrad_();
      sum(avgPool2d(input, { kernelSize: 3, stride: 2, padding: 1 }).mul(adaptiveAvgPool2d(input, [5, 4]))).backward();
      return input.grad!;
    };
    await expectSameOnGpu(grads, [x], 1e-5);
  });

  it('max pooling’s argmax, gather and scatter (run as kernels: the ops check indices on the host)', async () => {
    const attrs = { kernelSize: [3, 2], stride: [2, 2], padding: [1, 1], dilation: [1, 2], outSize: [5, 4], shape: [2, 3, 5, 4] };
    const indices = (t: Tensor): Tensor => wrap(runKernel('maxPool2dIndices', [t], attrs));
    await expectSameOnGpu(indices, [x], 0);
    const want = wrap(runCpuKernel('maxPool2dIndices', [x], attrs));
    await expectSameOnGpu((t, i) => wrap(runKernel('gatherPlanes', [t, i], {})), [x, want], 0);
    const src = random([2, 3, 5, 4], 13);
    await expectSameOnGpu((s, i) => wrap(runKernel('scatterAddPlanes', [s, i], { shape: [2, 3, 9, 7] })), [src, want], 1e-6);
    const repeated = randint(0, 2, [2, 3, 5, 4], { generator: new Generator(1) });
    await expectSameOnGpu((s, i) => wrap(runKernel('scatterAddPlanes', [s, i], { shape: [2, 3, 9, 7] })), [src, repeated], 1e-6);
  });
});

describe('adaptive max pooling and cdist match cpu', () => {
  it('adaptiveMaxPool2dIndices (as a kernel: the op gathers on the host)', async () => {
    const x = random([2, 3, 9, 7], 14);
    const rows = { start: Int32Array.from([0, 2, 4, 6]), end: Int32Array.from([3, 5, 7, 9]) };
    const cols = { start: Int32Array.from([0, 2, 4]), end: Int32Array.from([3, 5, 7]) };
    await expectSameOnGpu((t) => wrap(runKernel('adaptiveMaxPool2dIndices', [t], { rows, cols, shape: [2, 3, 4, 3] })), [x], 0);
  });

  it('cdist for p = 2, 1, ∞, 0 and 3, batched', async () => {
    const a = random([2, 5, 7], 15);
    const b = random([2, 6, 7], 16);
    for (const p of [2, 1, Infinity, 0, 3]) {
      await expectSameOnGpu((x, y) => cdist(x, y, p, 'donot_use_mm_for_euclid_dist'), [a, b], 1e-5);
    }
  });
});
