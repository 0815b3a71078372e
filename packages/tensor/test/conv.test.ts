import { describe, expect, it } from 'vitest';
import {
  DTypeError, Generator, ShapeError, ValueError, arange, conv1d, conv2d, conv2dBackwardWeight, convTranspose2d, convolution2d,
  mul, ones, randn, reshape, sum, tensor, zeros, type ConvGeometry, type Tensor,
} from './helpers.js';

const gen = new Generator(3);
const r = (shape: number[]) => randn(shape, { generator: gen, dtype: 'float64' });
const dot = (a: Tensor, b: Tensor): number => sum(mul(a, b)).item();

describe('conv2d values', () => {
  it('sums each 2×2 window of an arange image with a ones kernel, plus the bias', () => {
    const x = reshape(arange(9, undefined, 1, { dtype: 'float32' }), [1, 1, 3, 3]);
    expect(conv2d(x, ones([1, 1, 2, 2]), tensor([10])).toArray()).toEqual([[[[18, 22], [30, 34]]]]);
  });
  it("pads 'same' with the odd extra row and column after, as PyTorch", () => {
    // A 2×2 kernel picking its top-left tap reproduces the input: nothing is padded before.
    const x = r([1, 1, 3, 4]);
    const pick = tensor([[[[1, 0], [0, 0]]]], 'float64');
    expect(conv2d(x, pick, null, { padding: 'same' }).toFlatArray()).toEqual(x.toFlatArray());
  });
  it('keeps float32, promotes float32 with float64, and accepts an unbatched input', () => {
    expect(conv2d(zeros([1, 2, 4, 4]), zeros([3, 2, 3, 3])).dtype).toBe('float32');
    expect(conv2d(zeros([1, 2, 4, 4]), zeros([3, 2, 3, 3], { dtype: 'float64' })).dtype).toBe('float64');
    expect(conv2d(zeros([2, 5, 5]), zeros([3, 2, 3, 3]), null, { stride: 2 }).shape).toEqual([3, 2, 2]);
    expect(conv1d(zeros([2, 9]), zeros([4, 2, 3])).shape).toEqual([4, 7]);
  });
  it('gives transposed convolution the size formula with outputPadding', () => {
    const y = convTranspose2d(zeros([1, 4, 7, 5]), zeros([4, 3, 4, 3]), zeros([3]), { stride: [2, 3], padding: 1, outputPadding: [1, 2] });
    expect(y.shape).toEqual([1, 3, (7 - 1) * 2 - 2 + 3 + 1 + 1, (5 - 1) * 3 - 2 + 2 + 2 + 1]);
  });
});

describe('convolution kernels are adjoint', () => {
  // ⟨conv(x, w), y⟩ = ⟨x, convT(y, w)⟩ = ⟨w, dW(x, y)⟩: the three kernels implement one bilinear form.
  const geometries: [string, number[], number[], ConvGeometry][] = [
    ['stride 2, padding [1, 2], dilation [2, 1], groups 2', [2, 4, 7, 6], [6, 2, 3, 2],
      { stride: [2, 2], padding: [1, 2], dilation: [2, 1], groups: 2, outSize: [3, 4] }],
    ['asymmetric padding (1 before, 2 after)', [1, 3, 5, 5], [2, 3, 4, 4],
      { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, outSize: [5, 5] }],
    ['1×1 kernel', [2, 3, 4, 3], [5, 3, 1, 1], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, outSize: [4, 3] }],
  ];
  for (const [name, xShape, wShape, g] of geometries) {
    it(name, () => {
      const x = r(xShape);
      const w = r(wShape);
      const y = r([xShape[0], wShape[0], ...g.outSize]);
      const forward = dot(convolution2d(x, w, null, { ...g, transposed: false }), y);
      const transposed = dot(x, convolution2d(y, w, null, { ...g, outSize: [xShape[2], xShape[3]], transposed: true }));
      const weight = dot(w, conv2dBackwardWeight(x, y, { ...g, outSize: [wShape[2], wShape[3]] }));
      expect(transposed).toBeCloseTo(forward, 10);
      expect(weight).toBeCloseTo(forward, 10);
    });
  }
});

describe('conv errors name the op and the shapes', () => {
  it('rejects a channel mismatch', () => {
    expect(() => conv2d(zeros([1, 3, 8, 8]), zeros([6, 2, 5, 5]))).toThrow(ShapeError);
    expect(() => conv2d(zeros([1, 3, 8, 8]), zeros([6, 2, 5, 5]))).toThrow(
      'conv2d: input [1, 3, 8, 8] has 3 channels but weight [6, 2, 5, 5] ([out, in/groups, kH, kW]) with groups 1 expects 2',
    );
    expect(() => conv1d(zeros([1, 3, 8]), zeros([6, 2, 5]))).toThrow(/^conv1d: input \[1, 3, 8\] has 3 channels but weight \[6, 2, 5\]/);
  });
  it('rejects groups that do not divide the channels', () => {
    expect(() => conv2d(zeros([1, 4, 8, 8]), zeros([6, 1, 3, 3]), null, { groups: 4 })).toThrow(
      'conv2d: weight [6, 1, 3, 3] has 6 output channels, which groups 4 does not divide',
    );
    expect(() => conv2d(zeros([1, 4, 8, 8]), zeros([4, 2, 3, 3]), null, { groups: 0 })).toThrow(/groups must be an integer ≥ 1, got 0/);
    expect(() => convTranspose2d(zeros([1, 3, 4, 4]), zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      /convTranspose2d: weight \[3, 2, 3, 3\] has 3 input channels/,
    );
  });
  it('rejects bad ranks, bias shapes and kernels larger than the input', () => {
    expect(() => conv2d(zeros([8, 8]), zeros([1, 1, 3, 3]))).toThrow('conv2d: expected input of shape [N, C, H, W] or [C, H, W], got [8, 8]');
    expect(() => conv2d(zeros([1, 1, 8, 8]), zeros([1, 3, 3]))).toThrow(/conv2d: weight must have rank 4/);
    expect(() => conv2d(zeros([1, 1, 8, 8]), zeros([2, 1, 3, 3]), zeros([3]))).toThrow('conv2d: bias must have shape [2] (one per output channel), got [3]');
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { dilation: 2 })).toThrow(
      'conv2d: input [1, 1, 4, 4] padded to 4×4 is smaller than the kernel 3×3 (dilated to 5×5)',
    );
  });
  it('rejects invalid options and integer tensors', () => {
    expect(() => conv2d(zeros([1, 1, 8, 8]), zeros([1, 1, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(ValueError);
    expect(() => conv2d(zeros([1, 1, 8, 8]), zeros([1, 1, 3, 3]), null, { stride: [1, 2, 3] })).toThrow(
      'conv2d: stride must be an integer ≥ 1 or a list of 2 of them, got [1, 2, 3]',
    );
    expect(() => conv2d(zeros([1, 1, 8, 8], { dtype: 'int32' }), zeros([1, 1, 3, 3]))).toThrow(DTypeError);
    expect(() => convTranspose2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(
      /outputPadding \[2, 2\] must be smaller than either stride \[2, 2\] or dilation \[1, 1\]/,
    );
  });
});
