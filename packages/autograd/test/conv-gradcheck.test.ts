import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import { Generator, randn, type Tensor } from '@backprop/tensor';
import { enableGrad, gradCheck, gradients } from '../src/index.js';

const gen = new Generator(7);
const r = (shape: number[]) => randn(shape, { generator: gen, dtype: 'float64' });

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

describe('gradCheck of convolutions', () => {
  check('conv2d stride 2, padding [1, 2], dilation [2, 1], groups 2, bias',
    (x, w, b) => T.conv2d(x, w, b, { stride: 2, padding: [1, 2], dilation: [2, 1], groups: 2 }),
    [r([2, 4, 6, 5]), r([4, 2, 3, 2]), r([4])]);
  check("conv2d padding 'same' with an even kernel (extra row and column after)",
    (x, w) => T.conv2d(x, w, null, { padding: 'same' }), [r([1, 2, 4, 5]), r([2, 2, 2, 4])]);
  check('conv2d 1×1 kernel (the copy-free path)', (x, w) => T.conv2d(x, w), [r([2, 3, 3, 2]), r([2, 3, 1, 1])]);
  check('conv1d stride 2, groups 3, bias', (x, w, b) => T.conv1d(x, w, b, { stride: 2, groups: 3, padding: 1 }),
    [r([2, 3, 7]), r([6, 1, 3]), r([6])]);
  check('convTranspose2d stride 2, padding 1, outputPadding 1, groups 2, bias',
    (x, w, b) => T.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
    [r([2, 4, 3, 2]), r([4, 1, 3, 3]), r([2])]);
  check('convTranspose1d dilation 2', (x, w) => T.convTranspose1d(x, w, null, { dilation: 2, stride: 3 }), [r([1, 2, 4]), r([2, 3, 2])]);
});

describe('gradCheck of pooling and upsampling', () => {
  check('maxPool2d overlapping windows, padding, ceilMode', (x) => T.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }), [r([2, 2, 6, 5])]);
  check('maxPool2d dilation 2', (x) => T.maxPool2d(x, { kernelSize: 2, stride: 1, dilation: 2 }), [r([1, 2, 5, 5])]);
  check('maxPool1d', (x) => T.maxPool1d(x, { kernelSize: 2 }), [r([2, 3, 7])]);
  check('avgPool2d countIncludePad', (x) => T.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), [r([2, 2, 5, 6])]);
  check('avgPool2d countIncludePad false, ceilMode', (x) => T.avgPool2d(x, { kernelSize: 2, padding: 1, ceilMode: true, countIncludePad: false }), [r([1, 2, 5, 4])]);
  check('adaptiveAvgPool2d to [2, 3]', (x) => T.adaptiveAvgPool2d(x, [2, 3]), [r([2, 2, 5, 7])]);
  check('adaptiveAvgPool2d global', (x) => T.adaptiveAvgPool2d(x, 1), [r([2, 3, 3, 4])]);
  check('upsampleNearest2d scaleFactor 1.5', (x) => T.upsampleNearest2d(x, { scaleFactor: 1.5 }), [r([1, 2, 3, 4])]);
  check('upsampleNearest2d size [5, 2] (up and down)', (x) => T.upsampleNearest2d(x, { size: [5, 2] }), [r([1, 2, 3, 4])]);
});

// The gradient of Σ f(inputs)² taken with createGraph, as a function gradCheck can differentiate again.
const gradOfSquare = (f: (...xs: Tensor[]) => Tensor, wrt: number) => (...xs: Tensor[]) =>
  enableGrad(() => gradients(T.sum(T.square(f(...xs))), [xs[wrt]], { createGraph: true })[0]);

describe('double backward', () => {
  const conv = (x: Tensor, w: Tensor) => T.conv2d(x, w, null, { stride: 2, padding: 1, groups: 2 });
  check('conv2d: d/d(x, w) of dL/dw', gradOfSquare(conv, 1), [r([1, 4, 5, 4]), r([2, 2, 3, 3])]);
  check('conv2d: d/d(x, w) of dL/dx', gradOfSquare(conv, 0), [r([1, 4, 5, 4]), r([2, 2, 3, 3])]);
  const convT = (x: Tensor, w: Tensor) => T.convTranspose2d(x, w, null, { stride: 2 });
  check('convTranspose2d: d/d(x, w) of dL/dw', gradOfSquare(convT, 1), [r([1, 2, 3, 2]), r([2, 2, 2, 3])]);
  check('maxPool2d: d/dx of dL/dx', gradOfSquare((x) => T.maxPool2d(x, { kernelSize: 2, stride: 1 }), 0), [r([1, 1, 4, 4])]);
  check('avgPool2d: d/dx of dL/dx', gradOfSquare((x) => T.avgPool2d(x, { kernelSize: 2, padding: 1 }), 0), [r([1, 1, 4, 3])]);
});

describe('convolution gradients in a training step', () => {
  it('accumulates .grad for weight and bias and skips the input', () => {
    const x = r([2, 1, 6, 6]);
    const w = r([3, 1, 3, 3]).requiresGrad_();
    const b = r([3]).requiresGrad_();
    const y = T.maxPool2d(T.relu(T.conv2d(x, w, b)), { kernelSize: 2 });
    T.sum(y).backward();
    expect(w.grad?.shape).toEqual([3, 1, 3, 3]);
    expect(b.grad?.shape).toEqual([3]);
    expect(x.grad).toBeNull();
    // Each pooled output passes gradient 1 to exactly one positive conv output, so the bias gradient
    // of a channel counts its windows whose maximum is positive.
    const positive = T.sum(T.cast(T.gt(y, 0), 'float64'), [0, 2, 3]);
    expect(b.grad?.toFlatArray()).toEqual(positive.toFlatArray());
  });
});
